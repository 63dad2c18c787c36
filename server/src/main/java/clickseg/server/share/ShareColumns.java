package clickseg.server.share;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The shares table's columns as both stores (SQLite, PostgreSQL) write and read them: one mapping, one place. */
final class ShareColumns {
    /** Every column of a {@link Share}, in the order {@link #bind} and {@link #read} use. */
    static final String COLUMNS = "id, image_id, model_id, title, prompts, image_width, image_height, "
            + "mask_counts, created_at, objects_json";
    /** INSERT of a share and its delete secret's hash. */
    static final String INSERT = "INSERT INTO shares (" + COLUMNS + ", secret_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM shares WHERE id = ?";

    private ShareColumns() {
    }

    static void bind(PreparedStatement insert, Share share, String secretHash) throws SQLException {
        insert.setString(1, share.id());
        insert.setString(2, share.imageId());
        insert.setString(3, share.modelId());
        insert.setString(4, share.title());
        insert.setString(5, share.promptsJson());
        insert.setInt(6, share.imageWidth());
        insert.setInt(7, share.imageHeight());
        insert.setString(8, share.maskCounts());
        insert.setLong(9, share.createdAt());
        insert.setString(10, share.objectsJson());
        insert.setString(11, secretHash);
    }

    /** The share with this id, or null; one statement on the caller's connection (either store's). */
    static Share find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_BY_ID)) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? read(row) : null;
            }
        }
    }

    static Share read(ResultSet row) throws SQLException {
        return new Share(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getInt(6), row.getInt(7), row.getString(8), row.getLong(9), row.getString(10));
    }
}

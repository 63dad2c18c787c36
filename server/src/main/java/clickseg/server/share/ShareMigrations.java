package clickseg.server.share;

import java.util.List;

/**
 * The share database's schema as numbered steps: step n brings a database at version n-1 to version n.
 * Steps are only ever appended, never edited, so any old database can be brought up to date. The SQL is the
 * portable subset (types VARCHAR, TEXT, INTEGER, BIGINT; no AUTOINCREMENT, no ROWID, no SQLite pragmas), so the
 * same steps run on PostgreSQL.
 */
final class ShareMigrations {
    private ShareMigrations() {
    }

    /** One step: its version and the statements that make it, run in one transaction. */
    record Migration(int version, List<String> statements) {
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, List.of("""
                    CREATE TABLE shares (
                        id            VARCHAR(22)  NOT NULL PRIMARY KEY,
                        image_id      VARCHAR(64)  NOT NULL,
                        model_id      VARCHAR(200) NOT NULL,
                        title         TEXT,
                        prompts       TEXT         NOT NULL,
                        image_width   INTEGER      NOT NULL,
                        image_height  INTEGER      NOT NULL,
                        mask_counts   TEXT         NOT NULL,
                        secret_sha256 VARCHAR(64)  NOT NULL,
                        created_at    BIGINT       NOT NULL
                    )""",
                    "CREATE INDEX shares_by_image ON shares (image_id)")),
            // Shares of several labelled objects: every object (id, label, prompts, RLE) as one JSON text;
            // null for the shares made before (one object: the prompts and mask_counts columns).
            new Migration(2, List.of("ALTER TABLE shares ADD COLUMN objects_json TEXT")));

    static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }
}

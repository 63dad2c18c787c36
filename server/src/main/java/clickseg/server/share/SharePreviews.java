package clickseg.server.share;

import clickseg.server.store.BlobStore;
import clickseg.server.store.DurableFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Rendered share previews, kept after the first request. On one machine a folder beside the share database
 * (outside the blob store's eviction); for replicas the shared blob store under "previews/&lt;share id&gt;",
 * so that a preview rendered by one replica is served by all and a delete on one is seen by all.
 */
public interface SharePreviews {

    /** The stored PNG, or null. */
    byte[] get(String shareId) throws IOException;

    void put(String shareId, byte[] png) throws IOException;

    void delete(String shareId) throws IOException;

    /** PNG files in a folder ("&lt;data&gt;/.shares/previews/&lt;id&gt;.png"). */
    static SharePreviews inFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        return new SharePreviews() {
            @Override
            public byte[] get(String shareId) throws IOException {
                try {
                    return Files.readAllBytes(file(shareId));
                } catch (NoSuchFileException e) {
                    return null;
                }
            }

            @Override
            public void put(String shareId, byte[] png) throws IOException {
                Path file = file(shareId);
                Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
                try {
                    DurableFiles.writeAtomically(temp, file, png);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }

            @Override
            public void delete(String shareId) throws IOException {
                Files.deleteIfExists(file(shareId));
            }

            private Path file(String shareId) {
                return folder.resolve(shareId + ".png"); // the id is checked: [A-Za-z0-9_-]{22}
            }
        };
    }

    /** Blobs "previews/&lt;id&gt;" in a (shared) blob store. */
    static SharePreviews inStore(BlobStore store) {
        return new SharePreviews() {
            @Override
            public byte[] get(String shareId) throws IOException {
                return store.get("previews/" + shareId);
            }

            @Override
            public void put(String shareId, byte[] png) throws IOException {
                store.put("previews/" + shareId, png);
            }

            @Override
            public void delete(String shareId) throws IOException {
                store.delete("previews/" + shareId);
            }
        };
    }
}

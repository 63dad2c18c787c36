package clickseg.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskBlobStoreTest {

    @Test
    void a_stored_blob_reads_back_and_counts_towards_the_size(@TempDir Path root) throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 1 << 20);
        store.put("images/abc", new byte[]{1, 2, 3});
        store.put("embeddings/model-1/abc", new byte[10]);
        assertArrayEquals(new byte[]{1, 2, 3}, store.get("images/abc"));
        assertEquals(13, store.size());
        assertNull(store.get("images/missing"));
    }

    @Test
    void past_the_budget_the_least_recently_used_blob_goes_first(@TempDir Path root) throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 250);
        store.put("a", new byte[100]);
        store.put("b", new byte[100]);
        store.get("a"); // a is now more recent than b
        store.put("c", new byte[100]);
        assertTrue(store.contains("a"));
        assertFalse(store.contains("b"), "b was least recently used");
        assertTrue(store.contains("c"));
        assertFalse(Files.exists(root.resolve("b")), "its file is gone too");
        assertEquals(200, store.size());
    }

    @Test
    void a_blob_larger_than_the_budget_is_kept_until_the_next_put(@TempDir Path root) throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 50);
        store.put("big", new byte[80]);
        assertArrayEquals(new byte[80], store.get("big"), "the blob just written is in use");
        store.put("small", new byte[10]);
        assertFalse(store.contains("big"));
    }

    @Test
    void a_restart_keeps_the_blobs_and_their_recency(@TempDir Path root) throws Exception {
        DiskBlobStore first = new DiskBlobStore(root, 1 << 20);
        first.put("x", new byte[100]);
        Thread.sleep(20); // distinct modification times
        first.put("y", new byte[100]);
        Thread.sleep(20);
        first.get("x"); // x becomes the most recent
        DiskBlobStore second = new DiskBlobStore(root, 1 << 20);
        assertEquals(200, second.size());
        second.evict(100);
        assertTrue(second.contains("x"));
        assertFalse(second.contains("y"), "y was least recently used before the restart");
    }

    @Test
    void a_temporary_file_left_by_a_crash_is_not_a_blob_and_is_cleaned_up(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("images"));
        Path leftover = root.resolve("images/abc.tmp-1234");
        Files.write(leftover, new byte[7]);
        DiskBlobStore store = new DiskBlobStore(root, 1 << 20);
        assertEquals(0, store.size());
        assertFalse(Files.exists(leftover));
    }

    @Test
    void keys_that_could_escape_the_root_are_refused(@TempDir Path root) throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 1 << 20);
        assertThrows(IllegalArgumentException.class, () -> store.put("../outside", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> store.get("images/.hidden"));
        assertThrows(IllegalArgumentException.class, () -> store.contains("/etc/passwd"));
    }

    @Test
    void eviction_passes_over_pinned_blobs_and_takes_the_next_least_recently_used(@TempDir Path root) throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 150); // pinned blobs do not count against it
        store.pinWith(key -> key.equals("images/old"));
        store.put("images/old", new byte[100]); // least recently used, but pinned
        store.put("images/newer", new byte[100]);
        store.put("images/newest", new byte[100]);
        assertTrue(store.contains("images/old"), "a pinned blob is never evicted");
        assertFalse(store.contains("images/newer"), "the oldest unpinned blob went instead");
        assertTrue(store.contains("images/newest"));

        store.pinWith(BlobPins.NONE); // the share that pinned it was deleted
        store.put("images/last", new byte[100]);
        assertFalse(store.contains("images/old"), "unpinned, it is evictable again");
    }

    @Test
    void pinned_blobs_do_not_count_against_the_budget_so_they_cannot_crowd_out_new_ones(@TempDir Path root)
            throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 150);
        store.pinWith(key -> key.startsWith("images/pinned"));
        store.put("images/pinned-1", new byte[100]);
        store.put("images/pinned-2", new byte[100]);
        store.put("images/fresh", new byte[100]);
        assertTrue(store.contains("images/fresh"), "over the total budget, but only 100 unpinned bytes");
        assertEquals(200, store.pinnedBytes());
    }

    @Test
    void the_original_and_the_embedding_of_the_image_just_written_are_spared_together(@TempDir Path root)
            throws Exception {
        DiskBlobStore store = new DiskBlobStore(root, 150);
        store.put("embeddings/m/abc", new byte[100]);
        store.put("images/abc", new byte[100]);
        assertTrue(store.contains("embeddings/m/abc"), "half of an answered upload is never evicted");
        assertTrue(store.contains("images/abc"));
    }
}

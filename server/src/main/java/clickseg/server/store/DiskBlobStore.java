package clickseg.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under a root folder, one file per key.
 *
 * <p>Writes go to a temporary file in the target folder and are renamed into place, so a crash never leaves
 * a half-written blob under a real key. Recency is kept in memory (an access-ordered map) and mirrored into
 * each file's modification time, from which it is rebuilt at start: the LRU order survives a restart.
 *
 * <p>A blob's metadata lives in a small text file beside it, ".&lt;name&gt;.meta" (a name no key can have),
 * written before the blob is renamed into place, so a visible blob always has its metadata.
 */
public final class DiskBlobStore implements BlobStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final String TEMP_MARK = ".tmp-";

    private final Path root;
    private final long budgetBytes;
    /** key -> size in bytes, least recently used first. Guarded by itself. */
    private final LinkedHashMap<String, Long> recency = new LinkedHashMap<>(64, 0.75f, true);
    private long totalBytes; // guarded by recency
    private volatile BlobPins pins = BlobPins.NONE;

    /**
     * @param budgetBytes after each put, blobs are evicted down to this many bytes
     */
    public DiskBlobStore(Path root, long budgetBytes) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.budgetBytes = budgetBytes;
        Files.createDirectories(this.root);
        rebuildIndex();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    /**
     * From now on eviction skips the blobs {@code pins} names, even when that leaves the store above its
     * budget: a pinned blob is one that would be needed again, and evicting it would break a promise.
     */
    @Override
    public void pinWith(BlobPins pins) {
        this.pins = pins == null ? BlobPins.NONE : pins;
    }

    @Override
    public long budgetBytes() {
        return budgetBytes;
    }

    private void rebuildIndex() throws IOException {
        record Found(String key, long size, FileTime modified) {
        }
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                if (name.contains(TEMP_MARK)) {
                    Files.deleteIfExists(file); // left by a crash mid-write
                    continue;
                }
                String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (KEY.matcher(key).matches()) {
                    found.add(new Found(key, Files.size(file), Files.getLastModifiedTime(file)));
                }
            }
        }
        found.sort(Comparator.comparing(Found::modified));
        synchronized (recency) {
            for (Found f : found) {
                recency.put(f.key(), f.size());
                totalBytes += f.size();
            }
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path file = fileFor(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            forget(key);
            return null;
        }
        synchronized (recency) {
            if (recency.get(key) == null) { // evicted meanwhile: still a consistent, complete read
                return bytes;
            }
        }
        touch(file);
        return bytes;
    }

    @Override
    public boolean contains(String key) {
        fileFor(key); // validates
        synchronized (recency) {
            return recency.containsKey(key);
        }
    }

    @Override
    public boolean use(String key) {
        Path file = fileFor(key);
        synchronized (recency) {
            if (recency.get(key) == null) { // get, unlike containsKey, moves the key to the recent end
                return false;
            }
        }
        touch(file);
        return true;
    }

    @Override
    public BlobInfo info(String key) throws IOException {
        Path file = fileFor(key);
        synchronized (recency) {
            if (!recency.containsKey(key)) { // containsKey, unlike get, does not count as a use
                return null;
            }
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return null; // evicted meanwhile
        }
        Map<String, String> metadata = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(metaFileFor(file))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    metadata.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            // a blob stored before metadata existed: its size is still known
        }
        return new BlobInfo(size, Map.copyOf(metadata));
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = fileFor(key);
        forget(key);
        Files.deleteIfExists(file);
        Files.deleteIfExists(metaFileFor(file));
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        Path file = fileFor(key);
        synchronized (recency) {
            if (recency.get(key) != null) {
                touch(file);
                return;
            }
        }
        Files.createDirectories(file.getParent());
        if (!metadata.isEmpty()) { // first: a visible blob always has its metadata
            StringBuilder text = new StringBuilder();
            new TreeMap<>(metadata).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
            Path meta = metaFileFor(file);
            Path metaTemp = meta.resolveSibling(meta.getFileName() + TEMP_MARK + UUID.randomUUID());
            try {
                DurableFiles.writeAtomically(metaTemp, meta, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(metaTemp);
            }
        }
        Path temp = file.resolveSibling(file.getFileName() + TEMP_MARK + UUID.randomUUID());
        boolean written = false;
        try {
            DurableFiles.writeAtomically(temp, file, bytes);
            written = true;
        } finally {
            Files.deleteIfExists(temp);
            if (!written) { // a full disk: keep nothing of this blob, its metadata neither
                Files.deleteIfExists(metaFileFor(file));
            }
        }
        synchronized (recency) {
            Long previous = recency.put(key, (long) bytes.length);
            totalBytes += bytes.length - (previous == null ? 0 : previous);
        }
        evict(budgetBytes, key);
    }

    @Override
    public long size() {
        synchronized (recency) {
            return totalBytes;
        }
    }

    @Override
    public int evict(long budget) {
        return evict(budget, null);
    }

    /** Evicts down to {@code budget}, sparing {@code keep} (the blob just written: it is in use) and pinned blobs. */
    private int evict(long budget, String keep) {
        BlobPins pinned = pins;
        List<String> victims = new ArrayList<>();
        // The blobs of the image just written (its original and embedding) are spared together: evicting
        // one half of an upload that was just answered 200 would lose it.
        String keepImage = keep == null ? null : keep.substring(keep.lastIndexOf('/') + 1);
        synchronized (recency) {
            // Pinned blobs have a budget of their own (--pinned-bytes): they do not count against this one,
            // so shares can never crowd new uploads out of the store.
            long unpinned = totalBytes - pinnedBytesLocked(pinned);
            Iterator<Map.Entry<String, Long>> eldestFirst = recency.entrySet().iterator();
            while (unpinned > budget && eldestFirst.hasNext()) {
                Map.Entry<String, Long> entry = eldestFirst.next();
                if (entry.getKey().equals(keep) || pinned.isPinned(entry.getKey())
                        || (keepImage != null && entry.getKey().endsWith("/" + keepImage))) {
                    continue;
                }
                unpinned -= entry.getValue();
                totalBytes -= entry.getValue();
                victims.add(entry.getKey());
                eldestFirst.remove();
            }
        }
        for (String key : victims) {
            try {
                Files.deleteIfExists(fileFor(key));
                Files.deleteIfExists(metaFileFor(fileFor(key)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot evict " + key, e);
            }
        }
        return victims.size();
    }

    /** Bytes of the blobs pins hold now (shared images and shares being created). */
    @Override
    public long pinnedBytes() {
        synchronized (recency) {
            return pinnedBytesLocked(pins);
        }
    }

    private long pinnedBytesLocked(BlobPins pinned) {
        if (pinned == BlobPins.NONE) {
            return 0;
        }
        long bytes = 0;
        for (Map.Entry<String, Long> entry : recency.entrySet()) {
            if (pinned.isPinned(entry.getKey())) {
                bytes += entry.getValue();
            }
        }
        return bytes;
    }

    private void forget(String key) {
        synchronized (recency) {
            Long size = recency.remove(key);
            if (size != null) {
                totalBytes -= size;
            }
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // Recency on disk only matters after a restart; a failed touch costs nothing now.
        }
    }

    private static Path metaFileFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".meta");
    }

    private Path fileFor(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid blob key: " + key);
        }
        return root.resolve(key);
    }
}

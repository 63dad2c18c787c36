package clickseg.server.segment;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The low-resolution logits (256×256) of recent segment answers, by result id, so that a follow-up request
 * can refine one of them ({@code maskInput}) without sending 256 KB back. Bounded both ways: a result
 * expires {@code timeToLiveNanos} after it was made, and past {@code capacity} results the least recently
 * used goes first. Ids are 128 random bits, so one client cannot guess (or refine) another's results.
 */
public final class MaskResultCache {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final int capacity;
    private final long timeToLiveNanos;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, StoredMask> entries = new LinkedHashMap<>(16, 0.75f, true); // guarded by this

    /**
     * One answer's mask.
     *
     * @param imageId the image it was computed for: a mask only refines prompts on the same image
     * @param logits  (256, 256) low-resolution logits; never written after storing
     */
    public record StoredMask(String imageId, float[] logits, long createdNanos) {
    }

    public MaskResultCache(int capacity, long timeToLiveNanos, LongSupplier nanoClock) {
        if (capacity < 1 || timeToLiveNanos <= 0) {
            throw new IllegalArgumentException("need capacity >= 1 and a positive time to live");
        }
        this.capacity = capacity;
        this.timeToLiveNanos = timeToLiveNanos;
        this.nanoClock = nanoClock;
    }

    public static boolean isWellFormedId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Stores the logits (not copied: the caller hands them over) and returns their new id. */
    public synchronized String put(String imageId, float[] logits) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String id = HexFormat.of().formatHex(bits);
        long now = nanoClock.getAsLong();
        entries.put(id, new StoredMask(imageId, logits, now));
        dropExpired(now);
        Iterator<String> oldest = entries.keySet().iterator();
        while (entries.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
        return id;
    }

    /** The stored mask, or null when the id is unknown, evicted or expired. */
    public synchronized StoredMask get(String id) {
        long now = nanoClock.getAsLong();
        dropExpired(now);
        return entries.get(id);
    }

    public synchronized int size() {
        dropExpired(nanoClock.getAsLong());
        return entries.size();
    }

    public long timeToLiveNanos() {
        return timeToLiveNanos;
    }

    private void dropExpired(long now) {
        entries.values().removeIf(stored -> now - stored.createdNanos() >= timeToLiveNanos);
    }
}

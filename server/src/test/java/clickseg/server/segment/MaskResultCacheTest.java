package clickseg.server.segment;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refinement cache's two bounds, on a clock the test moves. */
class MaskResultCacheTest {
    private static final long MINUTE = 60_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void a_result_is_kept_until_its_time_to_live_has_passed() {
        MaskResultCache cache = new MaskResultCache(10, 15 * MINUTE, now::get);
        float[] logits = new float[256 * 256];
        String id = cache.put("image-a", logits);
        assertTrue(MaskResultCache.isWellFormedId(id), id);
        now.addAndGet(15 * MINUTE - 1);
        MaskResultCache.StoredMask stored = cache.get(id);
        assertNotNull(stored);
        assertSame(logits, stored.logits());
        assertEquals("image-a", stored.imageId());
        now.addAndGet(1);
        assertNull(cache.get(id));
        assertEquals(0, cache.size());
    }

    @Test
    void past_its_capacity_the_least_recently_used_result_goes_first() {
        MaskResultCache cache = new MaskResultCache(2, MINUTE, now::get);
        String a = cache.put("image", new float[1]);
        String b = cache.put("image", new float[1]);
        assertNotNull(cache.get(a)); // a is now more recent than b
        String c = cache.put("image", new float[1]);
        assertNull(cache.get(b));
        assertNotNull(cache.get(a));
        assertNotNull(cache.get(c));
        assertEquals(2, cache.size());
    }

    @Test
    void ids_are_distinct_and_a_malformed_id_is_told_apart() {
        MaskResultCache cache = new MaskResultCache(4, MINUTE, now::get);
        assertNotEquals(cache.put("image", new float[1]), cache.put("image", new float[1]));
        assertTrue(!MaskResultCache.isWellFormedId("../x") && !MaskResultCache.isWellFormedId(null)
                && !MaskResultCache.isWellFormedId("ABCDEF0123456789ABCDEF0123456789"));
    }
}

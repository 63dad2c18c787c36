package clickseg.server.segment;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of {@link MaskDecoder}s, each with the {@link DecoderResult} it writes, shared by the
 * request threads. A MaskDecoder owns its scratch memory and re-laid copies of some weights (91 MB of heap
 * per decoder, measured by benchmarks' DecoderPoolBenchmark) and is not thread-safe, so a request borrows one
 * for the duration of a prepare or a decode and gives it back.
 * A pool rather than one decoder per Jetty thread: Jetty runs up to 200 threads, and a click keeps a
 * core busy for the whole decode, so more decoders than cores only add memory
 * (see benchmarks' DecoderPoolBenchmark for the measured throughput per pool size).
 *
 * <p>Decoders are built on first need, so a server that never segments never pays for them.
 *
 * <p>{@link ImageContext}s are read-only and built from the same weights, so a context prepared by one
 * decoder serves every decoder in the pool.
 */
public final class DecoderPool {
    private final DecoderWeights weights;
    private final BlockingQueue<Slot> idle;
    private final int size;
    private int built; // guarded by this

    /** One decoder and its output, lent to one thread at a time. */
    public static final class Slot {
        private final MaskDecoder decoder;
        private final DecoderResult result = new DecoderResult();

        private Slot(MaskDecoder decoder) {
            this.decoder = decoder;
        }

        public MaskDecoder decoder() {
            return decoder;
        }

        /** Overwritten by every decode; read it before the slot goes back. */
        public DecoderResult result() {
            return result;
        }
    }

    public DecoderPool(DecoderWeights weights, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a decoder pool needs at least one decoder, got " + size);
        }
        this.weights = weights;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    public int size() {
        return size;
    }

    /** Decoders built so far (at most {@link #size}). */
    public synchronized int built() {
        return built;
    }

    /**
     * A free decoder, a new one while fewer than {@link #size} exist, or else the first to come free.
     *
     * @return the slot, or null when none came free within the timeout
     */
    public Slot acquire(long timeout, TimeUnit unit) throws InterruptedException {
        Slot slot = idle.poll();
        if (slot != null) {
            return slot;
        }
        boolean mayBuild;
        synchronized (this) {
            mayBuild = built < size;
            if (mayBuild) {
                built++;
            }
        }
        if (mayBuild) {
            try {
                return new Slot(clickseg.server.decoder.ServerDecoders.create(weights)); // outside the lock: about 0.1 s
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    built--;
                }
                throw e;
            }
        }
        return idle.poll(timeout, unit);
    }

    /** Gives a slot back; call exactly once per successful {@link #acquire}. */
    public void release(Slot slot) {
        if (!idle.offer(slot)) {
            throw new IllegalStateException("a slot was released twice");
        }
    }
}

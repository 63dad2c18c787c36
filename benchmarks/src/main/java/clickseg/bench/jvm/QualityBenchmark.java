package clickseg.bench.jvm;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.Prompt;
import clickseg.server.Sha256;
import clickseg.server.image.DecodedImage;
import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.Device;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mask quality of interactive segmentation on the ground-truth sets (GrabCut, Berkeley) with the standard click
 * simulation ({@link ClickSimulation}): mIoU after 1, 3 and 5 clicks and NoC@85 / NoC@90, for SAM's decoder graph
 * in ONNX Runtime (the oracle) and for the project's Java decoder under the same protocol, plus three Java
 * variants of the protocol:
 * <ul>
 * <li>A, baseline (the oracle's protocol): the first click keeps the export's mask (best predicted IoU of
 * masks 1-3), later clicks mask 0; every later click gets the previous low-resolution logits as mask input.</li>
 * <li>B: the first click keeps the best predicted IoU among masks 1-3 with stability score &ge; 0.95 (else the
 * best IoU); later clicks as A.</li>
 * <li>C: as A but no mask input on later clicks.</li>
 * <li>B+C: both changes.</li>
 * </ul>
 * A session stops after 20 clicks, or once it has 5 clicks and IoU &ge; 0.90 (RITM's rule; nothing reported
 * changes after that). Embeddings come from the server's own pipeline (decode, pre-process, encoder session)
 * and are cached under {@code <cache>/bench/embeddings/<model id>/}.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=QualityBenchmark -Dbench.args=" \
 *     [--datasets ../shared/datasets] [--limit N per set] [--max-clicks 20] [--threads 2] [--cache DIR]"
 * </pre>
 * The Java decoder must agree with the oracle within 0.1 mIoU points (0.001 IoU) on every set and click count.
 */
public final class QualityBenchmark {
    private static final int[] REPORTED_CLICKS = {1, 3, 5};
    private static final double[] NOC_THRESHOLDS = {0.85, 0.90};
    /** A session may stop at this IoU once it has REPORTED_CLICKS' last count: the highest NoC threshold. */
    private static final double STOP_IOU = 0.90;
    /** "Agree within 0.1 points": mIoU in points is IoU x 100. */
    private static final double AGREEMENT_POINTS = 0.1;
    private static final String[] RUNS = {"ORT oracle, baseline", "Java A baseline", "Java B first mask by IoU+stability",
            "Java C no mask feedback", "Java B+C"};

    private QualityBenchmark() {
    }

    /** Everything measured on one image; curves indexed like RUNS. */
    private record ImageOutcome(GroundTruthPair pair, ClickCurve[] curves, boolean firstMaskChanged,
                                double bestFirstMultimaskIou, int bestFirstMultimask, long javaNanos, int javaDecodes, long oracleNanos,
                                int oracleDecodes) {
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of("../shared/datasets");
        int limit = Integer.MAX_VALUE;
        int maxClicks = 20;
        int threads = 2;
        Path cacheDir = null;
        Dtype dtype = Dtype.F32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datasets" -> datasets = Path.of(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--max-clicks" -> maxClicks = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--cache" -> cacheDir = Path.of(args[++i]);
                case "--dtype" -> dtype = Dtype.fromWireName(args[++i]);
                default -> {
                    System.err.println("usage: QualityBenchmark [--datasets DIR] [--limit N per set] [--max-clicks N] "
                            + "[--threads N] [--cache DIR] [--dtype f32|f16|i8|u8]");
                    System.exit(2);
                }
            }
        }
        if (dtype == null) {
            System.err.println("--dtype must be f32, f16, i8 or u8");
            System.exit(2);
        }
        if (maxClicks < 1 || threads < 1 || limit < 1) {
            System.err.println("--max-clicks, --threads and --limit must be at least 1");
            System.exit(2);
        }
        List<GroundTruthPair> pairs = GroundTruthPair.firstOfEachSet(datasets, limit);
        if (pairs.isEmpty()) {
            System.out.println("SKIPPED: no ground-truth sets under " + datasets.toAbsolutePath()
                    + " (expected GrabCut/ and Berkeley/ as in ../shared/datasets/README.md)");
            return;
        }
        Path cacheRoot = ModelFetcher.defaultCacheRoot(System.getenv());
        ModelManifest manifest = ModelManifest.loadDefault();
        ModelFiles files = new ModelFetcher(cacheRoot, List.of("npm")).ensureAvailable(manifest);
        EmbeddingCache cache = new EmbeddingCache(cacheDir != null ? cacheDir : cacheRoot.resolve("bench").resolve("embeddings"),
                manifest.id());

        long start = System.nanoTime();
        String[] imageSha = encodeMissing(pairs, manifest, files, cache);
        double encodeSeconds = (System.nanoTime() - start) / 1e9;

        long simulationStart = System.nanoTime();
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(files.decoder()));
        int sessionClicks = maxClicks;
        int minClicks = Math.min(REPORTED_CLICKS[REPORTED_CLICKS.length - 1], maxClicks);
        ImageOutcome[] outcomes = new ImageOutcome[pairs.size()];
        AtomicInteger done = new AtomicInteger();
        // One ORT session serves every worker (run() is thread-safe), one thread each; a Java decoder per worker.
        try (OnnxSamDecoder sam = new OnnxSamDecoder(files, 1)) {
            ThreadLocal<MaskDecoder> decoders = ThreadLocal.withInitial(() -> new MaskDecoder(weights));
            Dtype wire = dtype;
            ThreadLocal<ImageDecoder> imageDecoders = ThreadLocal.withInitial(() -> new ImageDecoder(100_000_000));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < pairs.size(); i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        outcomes[index] = evaluate(pairs.get(index), cache.load(imageSha[index]), wire,
                                imageDecoders.get(), decoders.get(), sam, sessionClicks, minClicks);
                        int n = done.incrementAndGet();
                        if (n % 10 == 0 || n == pairs.size()) {
                            System.err.printf(Locale.ROOT, "%d/%d images simulated, %.0f s%n", n, pairs.size(),
                                    (System.nanoTime() - simulationStart) / 1e9);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        double simulationSeconds = (System.nanoTime() - simulationStart) / 1e9;
        print(args, outcomes, maxClicks, threads, encodeSeconds, simulationSeconds);
    }

    /** @return each pair's image sha256, every one of them with an embedding in the cache afterwards */
    static String[] encodeMissing(List<GroundTruthPair> pairs, ModelManifest manifest, ModelFiles files,
                                          EmbeddingCache cache) throws Exception {
        String[] sha = new String[pairs.size()];
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        Preprocessor preprocessor = new Preprocessor(manifest.preprocessing());
        EncoderSession encoder = null;
        int encoded = 0;
        try {
            for (int i = 0; i < pairs.size(); i++) {
                byte[] bytes = Files.readAllBytes(pairs.get(i).image());
                sha[i] = Sha256.hex(bytes);
                if (cache.load(sha[i]) != null) {
                    continue;
                }
                if (encoder == null) {
                    encoder = EncoderSession.open(files, Device.CPU, false, Runtime.getRuntime().availableProcessors());
                }
                DecodedImage image = decoder.decode(bytes);
                EncoderInput input = preprocessor.prepare(image);
                float[] embedding = encoder.encode(input);
                cache.store(sha[i], new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                        image.width(), image.height(), input.resizedWidth(), input.resizedHeight(), embedding));
                encoded++;
                if (encoded % 10 == 0) {
                    System.err.println(encoded + " images encoded");
                }
            }
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
        System.err.println(encoded + " images encoded, " + (pairs.size() - encoded) + " embeddings from the cache");
        return sha;
    }

    /**
     * @param wire the Java decoder's runs get the embedding as it arrives over the wire in this dtype (encoded
     *             and decoded back); the ONNX Runtime oracle always gets float32, so "Java A vs oracle" is what
     *             the dtype costs
     */
    private static ImageOutcome evaluate(GroundTruthPair pair, EmbeddingContainer embedding, Dtype wire,
                                         ImageDecoder imageDecoder, MaskDecoder decoder, OnnxSamDecoder sam,
                                         int maxClicks, int minClicks) throws Exception {
        int width = embedding.originalWidth();
        int height = embedding.originalHeight();
        int[] labels = pair.labels(imageDecoder, width, height);
        if (FirstClick.farthestFromBoundary(labels, width, height) == null) {
            System.err.println("skipping " + pair.set() + "/" + pair.name() + ": empty mask");
            return null;
        }
        float[] received = wire == Dtype.F32 ? embedding.data()
                : EmbeddingCodec.decode(EmbeddingCodec.encode(embedding, wire)).data();
        ImageContext image = decoder.prepare(received, width, height);
        ClickCurve[] curves = new ClickCurve[RUNS.length];
        OracleClickSegmenter oracle = new OracleClickSegmenter(sam, embedding.data(), image.transform());
        curves[0] = new ClickSimulation(labels, width, height).run(oracle, true, maxClicks, minClicks, STOP_IOU);

        JavaClickSegmenter baseline = new JavaClickSegmenter(decoder, image, FirstMaskChoice.ONNX_RULE);
        curves[1] = new ClickSimulation(labels, width, height).run(baseline, true, maxClicks, minClicks, STOP_IOU);
        // The first click has no mask input in every variant, so B (and B+C) differ from A (and C) only when the
        // two first-mask rules disagree; the decoder is deterministic, so otherwise their sessions are identical.
        boolean changed = baseline.firstClickRulesDisagree();
        JavaClickSegmenter stable = new JavaClickSegmenter(decoder, image, FirstMaskChoice.STABLE_BEST_IOU);
        curves[2] = changed ? new ClickSimulation(labels, width, height).run(stable, true, maxClicks, minClicks, STOP_IOU)
                : curves[1];
        JavaClickSegmenter noFeedback = new JavaClickSegmenter(decoder, image, FirstMaskChoice.ONNX_RULE);
        curves[3] = new ClickSimulation(labels, width, height).run(noFeedback, false, maxClicks, minClicks, STOP_IOU);
        JavaClickSegmenter stableNoFeedback = new JavaClickSegmenter(decoder, image, FirstMaskChoice.STABLE_BEST_IOU);
        curves[4] = changed
                ? new ClickSimulation(labels, width, height).run(stableNoFeedback, false, maxClicks, minClicks, STOP_IOU)
                : curves[3];
        double[] bestFirst = bestMultimask(decoder, image, curves[1].clicks().get(0), labels);
        long javaNanos = 0;
        int javaDecodes = 0;
        for (JavaClickSegmenter s : List.of(baseline, stable, noFeedback, stableNoFeedback)) {
            javaNanos += s.decodeNanos();
            javaDecodes += s.decodes();
        }
        return new ImageOutcome(pair, curves, changed, bestFirst[1], (int) bestFirst[0], javaNanos, javaDecodes, oracle.decodeNanos(), oracle.decodes());
    }

    /**
     * The true IoU of the best of masks 1-3 after the first click: what a first-mask rule that knew the ground
     * truth would reach, so the headroom any rule like B's can have.
     *
     * @return {index of that mask, its IoU}
     */
    private static double[] bestMultimask(MaskDecoder decoder, ImageContext image, ClickSimulation.Click first,
                                           int[] labels) {
        DecoderResult result = new DecoderResult();
        decoder.decode(image, Prompt.point(first.x(), first.y(), Prompt.FOREGROUND), null, result);
        MaskUpsampler upsampler = new MaskUpsampler(image.transform());
        float[] logits = new float[labels.length]; // (H, W)
        boolean[] mask = new boolean[labels.length];
        double[] best = {1, -1};
        for (int m = 1; m < DecoderResult.MASKS; m++) {
            upsampler.upsample(result.lowResLogits, DecoderResult.offset(m), logits);
            for (int i = 0; i < mask.length; i++) {
                mask[i] = logits[i] > MaskUpsampler.THRESHOLD;
            }
            double iou = ClickSimulation.iou(mask, labels);
            if (iou > best[1]) {
                best[0] = m;
                best[1] = iou;
            }
        }
        return best;
    }

    private static void print(String[] args, ImageOutcome[] outcomes, int maxClicks, int threads, double encodeSeconds,
                              double simulationSeconds) {
        Map<String, List<ImageOutcome>> bySet = new LinkedHashMap<>();
        long javaNanos = 0;
        long oracleNanos = 0;
        int javaDecodes = 0;
        int oracleDecodes = 0;
        for (ImageOutcome o : outcomes) {
            if (o == null) {
                continue;
            }
            bySet.computeIfAbsent(o.pair().set(), k -> new ArrayList<>()).add(o);
            javaNanos += o.javaNanos();
            javaDecodes += o.javaDecodes();
            oracleNanos += o.oracleNanos();
            oracleDecodes += o.oracleDecodes();
        }
        System.out.println("QualityBenchmark " + String.join(" ", args) + " (Java " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + threads + " worker threads, max clicks "
                + maxClicks + ")");
        boolean allAgree = true;
        for (Map.Entry<String, List<ImageOutcome>> entry : bySet.entrySet()) {
            List<ImageOutcome> set = entry.getValue();
            System.out.println();
            System.out.println("### " + entry.getKey() + " (" + set.size() + " masks)");
            System.out.println();
            StringBuilder header = new StringBuilder("| run |");
            StringBuilder rule = new StringBuilder("|---|");
            for (int k : REPORTED_CLICKS) {
                header.append(" mIoU@").append(k).append(" |");
                rule.append("---|");
            }
            for (double t : NOC_THRESHOLDS) {
                header.append(" NoC@").append(Math.round(t * 100)).append(" |");
                rule.append("---|");
            }
            header.append(" clicks placed |");
            rule.append("---|");
            System.out.println(header);
            System.out.println(rule);
            double[][] summaries = new double[RUNS.length][];
            for (int r = 0; r < RUNS.length; r++) {
                summaries[r] = summary(set, r);
                StringBuilder row = new StringBuilder("| ").append(RUNS[r]).append(" |");
                for (int i = 0; i < REPORTED_CLICKS.length; i++) {
                    row.append(String.format(Locale.ROOT, " %.2f |", 100 * summaries[r][i]));
                }
                for (int i = 0; i < NOC_THRESHOLDS.length; i++) {
                    row.append(String.format(Locale.ROOT, " %.2f |", summaries[r][REPORTED_CLICKS.length + i]));
                }
                row.append(String.format(Locale.ROOT, " %d |", (long) summaries[r][summaries[r].length - 1]));
                System.out.println(row);
            }
            double worstMiou = 0;
            for (int i = 0; i < REPORTED_CLICKS.length; i++) {
                worstMiou = Math.max(worstMiou, 100 * Math.abs(summaries[1][i] - summaries[0][i]));
            }
            double[] nocChange = new double[NOC_THRESHOLDS.length];
            for (int i = 0; i < NOC_THRESHOLDS.length; i++) {
                nocChange[i] = summaries[1][REPORTED_CLICKS.length + i] - summaries[0][REPORTED_CLICKS.length + i];
            }
            double worstImageClick = 0;
            int diverged = 0;
            int changed = 0;
            double bestFirstSum = 0;
            int[] bestFirstCounts = new int[DecoderResult.MASKS];
            for (ImageOutcome o : set) {
                bestFirstSum += o.bestFirstMultimaskIou();
                bestFirstCounts[o.bestFirstMultimask()]++;
                ClickCurve oracle = o.curves()[0];
                ClickCurve java = o.curves()[1];
                int common = Math.min(oracle.clicks().size(), java.clicks().size());
                for (int k = 0; k < common; k++) {
                    worstImageClick = Math.max(worstImageClick, 100 * Math.abs(oracle.iou()[k] - java.iou()[k]));
                }
                if (!oracle.clicks().equals(java.clicks())) {
                    diverged++;
                }
                if (o.firstMaskChanged()) {
                    changed++;
                }
            }
            boolean agree = worstMiou <= AGREEMENT_POINTS;
            allAgree &= agree;
            System.out.println();
            System.out.println(String.format(Locale.ROOT,
                    "Java A vs oracle: max |delta mIoU@1,3,5| = %.4f points (%s the 0.1 bound); delta NoC@85 %+.2f, "
                            + "NoC@90 %+.2f; worst single image and click |delta IoU| = %.4f points; click sequences "
                            + "differ on %d of %d masks.",
                    worstMiou, agree ? "within" : "OUTSIDE", nocChange[0], nocChange[1], worstImageClick, diverged,
                    set.size()));
            System.out.println(String.format(Locale.ROOT,
                    "B's first-mask rule picked another mask than A's on %d of %d masks. Headroom for any first-mask "
                            + "rule: mIoU@1 with the truly best of masks 1-3 = %.2f (truly best: mask 1 on %d, mask 2 on %d, mask 3 "
                            + "on %d).", changed, set.size(), 100 * bestFirstSum / set.size(), bestFirstCounts[1],
                    bestFirstCounts[2], bestFirstCounts[3]));
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "Java decoder and oracle agree within %.1f points on every set: %s.", AGREEMENT_POINTS,
                allAgree ? "YES" : "NO"));
        System.out.println(String.format(Locale.ROOT,
                "Time: embeddings %.0f s, simulation %.0f s wall; per click Java %.1f ms (%d decodes), ORT %.1f ms "
                        + "(%d decodes), Java/ORT %.2f (concurrent workers on a shared machine: noisy).",
                encodeSeconds, simulationSeconds, javaNanos / 1e6 / Math.max(1, javaDecodes), javaDecodes,
                oracleNanos / 1e6 / Math.max(1, oracleDecodes), oracleDecodes,
                (javaNanos / (double) Math.max(1, javaDecodes)) / (oracleNanos / (double) Math.max(1, oracleDecodes))));
    }

    /** mIoU at each REPORTED_CLICKS, mean NoC at each NOC_THRESHOLDS, then the total of clicks placed. */
    private static double[] summary(List<ImageOutcome> set, int run) {
        double[] s = new double[REPORTED_CLICKS.length + NOC_THRESHOLDS.length + 1];
        for (ImageOutcome o : set) {
            ClickCurve c = o.curves()[run];
            for (int i = 0; i < REPORTED_CLICKS.length; i++) {
                s[i] += c.iouAfter(REPORTED_CLICKS[i]);
            }
            for (int i = 0; i < NOC_THRESHOLDS.length; i++) {
                s[REPORTED_CLICKS.length + i] += c.clicksToReach(NOC_THRESHOLDS[i]);
            }
            s[s.length - 1] += c.clicks().size();
        }
        for (int i = 0; i < s.length - 1; i++) {
            s[i] /= set.size();
        }
        return s;
    }
}

package clickseg.bench.jvm;

import clickseg.server.image.DecodedImage;
import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.Device;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * What each embedding dtype costs on the wire and changes in the masks, measured with the model's own decoder
 * graph (ONNX Runtime) on the ground-truth photos: every f16 / i8 embedding is decoded back to floats and
 * run through the decoder next to the f32 one, with the standard first click.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=EmbeddingDtypeBenchmark -Dbench.args="[--datasets DIR] [--limit N]"
 * </pre>
 * The smallest dtype whose thresholded masks differ from f32 on under 0.1% of pixels and whose 1-click mIoU
 * moves by under 0.002 on every set is the one the client should ask for.
 */
public final class EmbeddingDtypeBenchmark {
    private static final List<Dtype> DTYPES = List.of(Dtype.F32, Dtype.F16, Dtype.I8);
    private static final double MAX_PIXEL_FRACTION = 0.001;
    private static final double MAX_MIOU_CHANGE = 0.002;

    private EmbeddingDtypeBenchmark() {
    }

    /** Sums for one dtype. */
    private static final class Tally {
        double maxLogitChange;
        long differingPixels;
        long pixels;
        double worstImageFraction;
        long gzipBytes;
        int images;
        final Map<String, double[]> iouSumAndCount = new java.util.TreeMap<>();
        int containerBytes;
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of("../shared/datasets");
        int limit = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datasets" -> datasets = Path.of(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: EmbeddingDtypeBenchmark [--datasets DIR] [--limit N per set]");
                    System.exit(2);
                }
            }
        }
        List<GroundTruthPair> pairs = GroundTruthPair.firstOfEachSet(datasets, limit);
        if (pairs.isEmpty()) {
            System.out.println("SKIPPED: no ground-truth sets under " + datasets.toAbsolutePath()
                    + " (expected GrabCut/ and Berkeley/ as in ../shared/datasets/README.md)");
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ModelManifest manifest = ModelManifest.loadDefault();
        ModelFiles files = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm")).ensureAvailable(manifest);
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        Preprocessor preprocessor = new Preprocessor(manifest.preprocessing());
        Map<Dtype, Tally> tallies = new java.util.EnumMap<>(Dtype.class);
        for (Dtype d : DTYPES) {
            tallies.put(d, new Tally());
        }
        long start = System.nanoTime();
        try (EncoderSession encoder = EncoderSession.open(files, Device.CPU, false, cores);
             OnnxSamDecoder sam = new OnnxSamDecoder(files, cores)) {
            int done = 0;
            for (GroundTruthPair pair : pairs) {
                DecodedImage image = decoder.decode(Files.readAllBytes(pair.image()));
                int[] labels = pair.labels(decoder, image.width(), image.height());
                int[] click = FirstClick.farthestFromBoundary(labels, image.width(), image.height());
                if (click == null) {
                    System.err.println("skipping " + pair.set() + "/" + pair.name() + ": empty mask");
                    continue;
                }
                EncoderInput input = preprocessor.prepare(image);
                float[] embedding = encoder.encode(input);
                EmbeddingContainer f32 = new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                        image.width(), image.height(), input.resizedWidth(), input.resizedHeight(), embedding);
                OnnxSamDecoder.Result reference = null;
                for (Dtype dtype : DTYPES) {
                    byte[] wire = EmbeddingCodec.encode(f32, dtype);
                    float[] received = EmbeddingCodec.decode(wire).data();
                    OnnxSamDecoder.Result r = sam.clickPositive(received, click[0], click[1], image.width(), image.height(),
                            input.resizedWidth(), input.resizedHeight());
                    Tally t = tallies.get(dtype);
                    t.containerBytes = wire.length;
                    t.gzipBytes += gzipLength(wire);
                    t.images++;
                    if (reference == null) {
                        reference = r;
                    }
                    long differing = 0;
                    for (int i = 0; i < r.mask().length; i++) {
                        if (r.mask()[i] != reference.mask()[i]) {
                            differing++;
                        }
                    }
                    for (int i = 0; i < r.lowResLogits().length; i++) {
                        t.maxLogitChange = Math.max(t.maxLogitChange, Math.abs(r.lowResLogits()[i] - reference.lowResLogits()[i]));
                    }
                    t.differingPixels += differing;
                    t.pixels += r.mask().length;
                    t.worstImageFraction = Math.max(t.worstImageFraction, (double) differing / r.mask().length);
                    double[] sum = t.iouSumAndCount.computeIfAbsent(pair.set(), k -> new double[2]);
                    sum[0] += iou(r.mask(), labels);
                    sum[1]++;
                }
                done++;
                if (done % 10 == 0) {
                    System.err.printf("%d/%d images, %.0f s%n", done, pairs.size(), (System.nanoTime() - start) / 1e9);
                }
            }
        }
        print(tallies, pairs.size(), (System.nanoTime() - start) / 1e9);
    }

    /** IoU of a predicted mask with the ground truth, ignored pixels left out. */
    static double iou(boolean[] mask, int[] labels) {
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < mask.length; i++) {
            if (labels[i] == GroundTruthPair.IGNORE) {
                continue;
            }
            boolean truth = labels[i] == 1;
            if (mask[i] && truth) {
                intersection++;
            }
            if (mask[i] || truth) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }

    private static long gzipLength(byte[] bytes) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(6))) {
            deflate.write(bytes);
        }
        return out.size();
    }

    private static void print(Map<Dtype, Tally> tallies, int images, double seconds) {
        Tally f32 = tallies.get(Dtype.F32);
        List<String> sets = new ArrayList<>(f32.iouSumAndCount.keySet());
        StringBuilder header = new StringBuilder("| dtype | container bytes | deflated bytes (mean) | max abs change of low-res logits | mask pixels that differ from f32 (all / worst image) |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|");
        for (String set : sets) {
            header.append(" 1-click mIoU ").append(set).append(" (n=").append((int) f32.iouSumAndCount.get(set)[1]).append(") | change |");
            rule.append("---|---|");
        }
        System.out.println();
        System.out.println(header);
        System.out.println(rule);
        Dtype smallestLossless = Dtype.F32;
        for (Dtype d : DTYPES) {
            Tally t = tallies.get(d);
            StringBuilder row = new StringBuilder();
            double fraction = (double) t.differingPixels / t.pixels;
            row.append("| ").append(d.wireName()).append(" | ").append(t.containerBytes).append(" | ")
                    .append(t.gzipBytes / t.images).append(" | ").append(String.format("%.5f", t.maxLogitChange)).append(" | ")
                    .append(String.format("%.4f%% / %.4f%%", 100 * fraction, 100 * t.worstImageFraction)).append(" |");
            boolean lossless = fraction < MAX_PIXEL_FRACTION;
            for (String set : sets) {
                double mIoU = t.iouSumAndCount.get(set)[0] / t.iouSumAndCount.get(set)[1];
                double reference = f32.iouSumAndCount.get(set)[0] / f32.iouSumAndCount.get(set)[1];
                row.append(String.format(" %.4f | %+.4f |", mIoU, mIoU - reference));
                lossless &= Math.abs(mIoU - reference) < MAX_MIOU_CHANGE;
            }
            System.out.println(row);
            if (lossless && t.containerBytes < tallies.get(smallestLossless).containerBytes) {
                smallestLossless = d;
            }
        }
        System.out.println();
        System.out.printf("%d images in %.0f s. Smallest dtype within the bounds (masks differ on < 0.1%% of pixels, "
                + "|mIoU change| < 0.002 on every set): %s%n", images, seconds, smallestLossless.wireName());
    }
}

package clickseg.bench.jvm;

import clickseg.export.MaskOutline;
import clickseg.export.PolygonRaster;
import clickseg.mask.BinaryMask;
import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How many vertices the exports' polygons have and how well they cover their object, per tolerance: every
 * ground-truth mask (GrabCut's object = 255, its unknown band counted as outside; Berkeley's channel 0 > 127)
 * is traced ({@link MaskOutline}), simplified at tolerances 0 (the raw traced outline), 0.5, 1, 2 and 4 px,
 * rasterised back by the even–odd rule at pixel centres and compared with the mask itself (IoU over the image).
 * Reported: mean and median vertices per mask, mean and minimum IoU — for plain Douglas–Peucker and for the
 * exports' outline (Douglas–Peucker with the IoU guard, {@link MaskOutline#rings}, with its time per mask on
 * this JVM: one run, the first tolerance includes warm-up).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=PolygonSimplificationBenchmark \
 *     -Dbench.args="[--datasets ../shared/datasets]"
 * </pre>
 */
public final class PolygonSimplificationBenchmark {
    private static final double[] TOLERANCES = {0, 0.5, 1, 2, 4};

    private PolygonSimplificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of("../shared/datasets");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--datasets")) {
                datasets = Path.of(args[++i]);
            } else if (!args[i].isBlank()) {
                System.err.println("usage: PolygonSimplificationBenchmark [--datasets DIR]");
                System.exit(2);
            }
        }
        List<GroundTruthPair> pairs = new ArrayList<>(GroundTruthPair.grabCut(datasets));
        pairs.addAll(GroundTruthPair.berkeley(datasets));
        if (pairs.isEmpty()) {
            System.out.println("SKIPPED: no ground-truth sets under " + datasets.toAbsolutePath());
            return;
        }
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        int t = TOLERANCES.length;
        int[][] plainVertices = new int[t][pairs.size()];
        double[][] plainIou = new double[t][pairs.size()];
        int[][] guardedVertices = new int[t][pairs.size()];
        double[][] guardedIou = new double[t][pairs.size()];
        long[] guardedNanos = new long[t];
        long start = System.nanoTime();
        for (int p = 0; p < pairs.size(); p++) {
            BinaryMask mask = objectMask(decoder, pairs.get(p));
            int[] box = mask.boundingBox();
            for (int k = 0; k < t; k++) {
                List<float[]> plain = MaskOutline.simplified(mask, TOLERANCES[k]);
                plainVertices[k][p] = MaskOutline.vertexCount(plain);
                plainIou[k][p] = PolygonRaster.iou(plain, mask, box[0], box[1], box[2], box[3]);
                long begin = System.nanoTime();
                List<float[]> guarded = MaskOutline.rings(mask, TOLERANCES[k]);
                guardedNanos[k] += System.nanoTime() - begin;
                guardedVertices[k][p] = MaskOutline.vertexCount(guarded);
                guardedIou[k][p] = PolygonRaster.iou(guarded, mask, box[0], box[1], box[2], box[3]);
            }
        }
        System.out.printf(Locale.ROOT, "%d ground-truth masks (GrabCut %d, Berkeley %d), %.1f s%n%n", pairs.size(),
                pairs.stream().filter(q -> q.set().equals("GrabCut")).count(),
                pairs.stream().filter(q -> q.set().equals("Berkeley")).count(), (System.nanoTime() - start) / 1e9);
        table("plain Douglas–Peucker (MaskOutline.simplified)", plainVertices, plainIou, null);
        table("exports' outline: Douglas–Peucker with the IoU guard (MaskOutline.rings)", guardedVertices, guardedIou,
                guardedNanos);
    }

    /** @param nanos total time per tolerance over all masks, or null */
    private static void table(String title, int[][] vertices, double[][] iou, long[] nanos) {
        System.out.println(title);
        System.out.println("| tolerance (px) | mean vertices | median vertices | mean IoU | min IoU |"
                + (nanos == null ? "" : " ms per mask (trace, simplify, check) |"));
        System.out.println("|---|---|---|---|---|" + (nanos == null ? "" : "---|"));
        for (int k = 0; k < TOLERANCES.length; k++) {
            int[] v = vertices[k].clone();
            Arrays.sort(v);
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.4f | %.4f |%s%n",
                    TOLERANCES[k] == 0 ? "0 (traced)" : Double.toString(TOLERANCES[k]),
                    Arrays.stream(vertices[k]).average().orElse(0), median,
                    Arrays.stream(iou[k]).average().orElse(0), Arrays.stream(iou[k]).min().orElse(0),
                    nanos == null ? "" : String.format(Locale.ROOT, " %.1f |", nanos[k] / 1e6 / v.length));
        }
        System.out.println();
    }

    private static BinaryMask objectMask(ImageDecoder decoder, GroundTruthPair pair) throws Exception {
        DecodedImage m = decoder.decode(Files.readAllBytes(pair.mask()));
        BinaryMask mask = new BinaryMask(m.width(), m.height());
        byte[] pixels = mask.pixels();
        for (int i = 0; i < pixels.length; i++) {
            int v = m.rgb()[3 * i] & 0xFF;
            boolean inside = pair.set().equals("GrabCut") ? v == 255 : v > 127;
            pixels[i] = (byte) (inside ? 1 : 0);
        }
        return mask;
    }
}

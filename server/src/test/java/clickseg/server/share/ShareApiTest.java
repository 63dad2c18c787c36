package clickseg.server.share;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST/GET/DELETE /api/shares and the /s/{id} pages, against the real server. */
class ShareApiTest {
    private static final int WIDTH = 160;
    private static final int HEIGHT = 120;

    @TempDir
    static Path data;
    static TestServer server;
    static String imageId;
    static String modelId;
    static BinaryMask mask;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of(), "--share-rate", "1000"); // the rate limit has its own test
        imageId = server.upload(TestImages.encode(TestImages.gradient(WIDTH, HEIGHT), "png"), "image/png");
        modelId = ShareFixture.modelId(server);
        mask = ShareFixture.rectangle(WIDTH, HEIGHT, 30, 20, 90, 70);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject create(String title) throws Exception {
        HttpResponse<byte[]> created = server.postJson("/api/shares", ShareFixture.body(imageId, modelId, title, mask));
        assertEquals(201, created.statusCode(), TestServer.text(created));
        return TestServer.json(created);
    }

    @Test
    void a_share_is_stored_read_back_exactly_and_deleted_with_its_secret() throws Exception {
        JsonObject created = create("My cat");
        String id = created.get("id").getAsString();
        String secret = created.get("secret").getAsString();
        assertTrue(ShareTokens.isWellFormedId(id), id);
        assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), "256 random bits, base64url: " + secret);
        assertEquals("/s/" + id, created.get("url").getAsString());
        assertEquals("/s/" + id + "/delete#" + secret, created.get("deleteUrl").getAsString());

        JsonObject document = TestServer.json(server.get("/api/shares/" + id));
        assertEquals(imageId, document.get("imageId").getAsString());
        assertEquals(modelId, document.get("modelId").getAsString());
        assertEquals("My cat", document.get("title").getAsString());
        assertEquals(WIDTH, document.get("imageWidth").getAsInt());
        assertEquals(HEIGHT, document.get("imageHeight").getAsInt());
        assertFalse(document.has("secret"), "the secret is given once, at creation");
        JsonObject rle = document.getAsJsonObject("mask");
        assertEquals("[" + HEIGHT + "," + WIDTH + "]", rle.get("size").toString());
        BinaryMask stored = RunLengthEncoding.decode(rle.get("counts").getAsString(), WIDTH, HEIGHT);
        assertArrayEquals(mask.pixels(), stored.pixels(), "the mask comes back pixel for pixel");
        JsonObject prompts = document.getAsJsonObject("prompts");
        assertEquals("[[40.5,30],[10,10]]", prompts.get("points").toString());
        assertEquals("[1,0]", prompts.get("labels").toString());
        assertTrue(prompts.get("box").isJsonNull());
        assertEquals(2, prompts.get("maskIndex").getAsInt());
        assertEquals(200, server.get(document.get("embedding").getAsString()).statusCode(), "the embedding URL works");

        assertEquals(403, ShareFixture.delete(server, "/api/shares/" + id, secret + "x").statusCode());
        assertEquals(403, ShareFixture.delete(server, "/api/shares/" + id, null).statusCode());
        assertEquals(200, server.get("/api/shares/" + id).statusCode(), "a refused delete changes nothing");

        assertEquals(204, ShareFixture.delete(server, "/api/shares/" + id, secret).statusCode());
        HttpResponse<byte[]> gone = server.get("/api/shares/" + id);
        assertEquals(404, gone.statusCode());
        assertEquals("not_found", TestServer.json(gone).get("error").getAsString());
        assertEquals(404, ShareFixture.delete(server, "/api/shares/" + id, secret).statusCode());
        HttpResponse<byte[]> page = server.get("/s/" + id);
        assertEquals(404, page.statusCode());
        assertTrue(TestServer.text(page).contains("This share is gone"));
        assertEquals(404, server.get("/s/" + id + "/preview.png").statusCode());
        assertEquals(200, server.get("/api/images/" + imageId).statusCode(), "the image stays");
    }

    @Test
    void a_wrong_secret_gets_403_and_the_share_stays_byte_for_byte() throws Exception {
        JsonObject created = create(null);
        String id = created.get("id").getAsString();
        String before = TestServer.text(server.get("/api/shares/" + id));
        HttpResponse<byte[]> refused = ShareFixture.delete(server, "/api/shares/" + id,
                new ShareTokens().newSecret());
        assertEquals(403, refused.statusCode());
        assertEquals("wrong_secret", TestServer.json(refused).get("error").getAsString());
        assertEquals(before, TestServer.text(server.get("/api/shares/" + id)));
        assertEquals(200, server.get("/s/" + id).statusCode());
    }

    @Test
    void each_share_gets_its_own_random_id_and_secret() throws Exception {
        JsonObject a = create("same");
        JsonObject b = create("same");
        assertNotEquals(a.get("id").getAsString(), b.get("id").getAsString());
        assertNotEquals(a.get("secret").getAsString(), b.get("secret").getAsString());
    }

    @Test
    void malformed_ids_get_400_and_unknown_ids_404_on_every_route() throws Exception {
        String unknown = new ShareTokens().newId();
        for (String bad : new String[] {"abc", "x".repeat(23), "AAAAAAAAAAAAAAAAAAAA%2E%2E", "AAAAAAAAAAAAAAAAAAAAA'"}) {
            assertEquals(400, server.get("/api/shares/" + bad).statusCode(), bad);
            assertEquals(400, server.get("/s/" + bad).statusCode(), bad);
            assertEquals(400, server.get("/s/" + bad + "/preview.png").statusCode(), bad);
            assertEquals(400, ShareFixture.delete(server, "/api/shares/" + bad, "s").statusCode(), bad);
        }
        assertEquals(404, server.get("/api/shares/" + unknown).statusCode());
        assertEquals(404, server.get("/s/" + unknown).statusCode());
        assertEquals(404, server.get("/s/" + unknown + "/delete").statusCode());
        assertEquals(404, server.get("/s/" + unknown + "/preview.png").statusCode());
        assertEquals(404, ShareFixture.delete(server, "/api/shares/" + unknown, "s").statusCode());
    }

    @Test
    void hostile_or_broken_bodies_get_a_clear_error_and_store_nothing() throws Exception {
        String good = ShareFixture.body(imageId, modelId, "t", mask);
        String otherImage = "0".repeat(64);
        String wrongSize = ShareFixture.body(imageId, modelId, null, new BinaryMask(WIDTH + 1, HEIGHT));
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("", 400);
        expected.put(good.substring(0, good.length() / 2), 400); // truncated JSON
        expected.put("[1, 2, 3]", 400);
        expected.put("{\"imageId\": 5}", 400);
        expected.put(good.replace("\"modelId\"", "\"modelIdd\""), 400);
        expected.put(good.replace(imageId, "../../etc/passwd"), 400);
        expected.put(good.replace(imageId, otherImage), 404);
        expected.put(good.replace("\"modelId\":\"" + modelId + "\"", "\"modelId\":\"another-model\""), 400);
        expected.put(good.replace("\"title\":\"t\"", "\"title\":{\"a\":1}"), 400);
        expected.put(good.replace("\"title\":\"t\"", "\"title\":\"" + "x".repeat(201) + "\""), 400);
        expected.put(good.replace("\"title\":\"t\"", "\"title\":\"two\\nlines\""), 400);
        expected.put(good.replace("[1,0]", "[1,7]"), 400);
        expected.put(good.replace("[1,0]", "[1]"), 400);
        expected.put(good.replace("[[40.5,30.0],[10,10]]", "[[40.5,30.0],[10,\"10\"]]"), 400);
        expected.put(good.replace("[[40.5,30.0],[10,10]]", "[[40.5,30.0],[1000,10]]"), 400); // outside the image
        expected.put(good.replace("\"maskIndex\":2", "\"maskIndex\":9"), 400);
        expected.put(wrongSize, 400); // the RLE is not the image's size
        expected.put(good.replace("\"size\":[" + HEIGHT + "," + WIDTH + "]", "\"size\":[" + HEIGHT + "," + (WIDTH - 1) + "]"), 400);
        expected.put(good.replaceAll("\"counts\":\"[^\"]*\"", "\"counts\":\"\\\\u0001~~~\""), 400); // not RLE
        expected.put(good.replaceAll("\"counts\":\"[^\"]*\"", "\"counts\":\"" + RunLengthEncoding.encode(new int[] {100, 5}) + "\""), 400);
        expected.put(ShareFixture.body(imageId, modelId, null, new BinaryMask(WIDTH, HEIGHT)), 400); // empty mask
        StringBuilder manyPoints = new StringBuilder("[");
        StringBuilder manyLabels = new StringBuilder("[");
        for (int i = 0; i < 65; i++) {
            manyPoints.append(i == 0 ? "" : ",").append("[1,1]");
            manyLabels.append(i == 0 ? "" : ",").append("1");
        }
        expected.put(good.replace("[[40.5,30.0],[10,10]]", manyPoints + "]").replace("[1,0]", manyLabels + "]"), 400);
        for (Map.Entry<String, Integer> test : expected.entrySet()) {
            HttpResponse<byte[]> answer = server.postJson("/api/shares", test.getKey());
            String shown = test.getKey().length() > 120 ? test.getKey().substring(0, 120) + "…" : test.getKey();
            assertEquals(test.getValue(), answer.statusCode(), shown + " -> " + TestServer.text(answer));
            JsonObject error = TestServer.json(answer);
            assertFalse(error.get("message").getAsString().isBlank(), shown);
        }
        HttpResponse<byte[]> asForm = server.post("/api/shares", good.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/plain");
        assertEquals(415, asForm.statusCode(), "only JSON: a cross-site form cannot send it");
        HttpResponse<byte[]> huge = server.postJson("/api/shares", good.replace("\"title\":\"t\"",
                "\"title\":\"" + "x".repeat(ShareRoutes.MAX_BODY_BYTES) + "\""));
        assertEquals(413, huge.statusCode());
        assertEquals("payload_too_large", TestServer.json(huge).get("error").getAsString());
        assertTrue(good.contains("\"title\":\"t\""), "the replacements above edited the body");
    }

    @Test
    void the_share_page_is_the_app_with_the_title_escaped_in_the_page_and_its_open_graph_tags() throws Exception {
        String hostile = "<script>alert('x')</script> & \"quoted\"";
        String id = create(hostile).get("id").getAsString();
        HttpResponse<byte[]> response = server.get("/s/" + id);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = TestServer.text(response);
        assertFalse(html.contains("<script>alert"), "the title never becomes markup");
        assertFalse(html.contains("\"quoted\""), "nor breaks out of an attribute");
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";
        assertTrue(html.contains("<title>" + escaped + " — clickseg</title>"), html);
        assertEquals(escaped, metaContent(html, "property", "og:title"));
        assertEquals(escaped, metaContent(html, "name", "twitter:title"));
        String origin = "http://127.0.0.1:" + server.uri("/").getPort();
        assertEquals(origin + "/s/" + id + "/preview.png", metaContent(html, "property", "og:image"));
        assertEquals(origin + "/s/" + id + "/preview.png", metaContent(html, "name", "twitter:image"));
        assertEquals("summary_large_image", metaContent(html, "name", "twitter:card"));
        assertEquals(origin + "/s/" + id, metaContent(html, "property", "og:url"));
        assertEquals(id, metaContent(html, "name", "clickseg-share"));
        assertTrue(html.contains("id=\"canvas\""), "it is the app's page");
        assertNoInlineScriptOrStyle(html);

        HttpResponse<byte[]> deletePage = server.get("/s/" + id + "/delete");
        assertEquals(200, deletePage.statusCode());
        String deleteHtml = TestServer.text(deletePage);
        assertFalse(deleteHtml.contains("<script>alert"));
        assertTrue(deleteHtml.contains("<script src=\"/app/share-delete.js\" defer></script>"));
        assertEquals(id, metaContent(deleteHtml, "name", "clickseg-share"));
        assertNoInlineScriptOrStyle(deleteHtml);
        assertEquals(200, server.get("/app/share-delete.js").statusCode(), "its script is part of the page");
    }

    @Test
    void the_preview_is_the_photo_with_the_mask_tinted_rendered_once_and_kept_on_disk() throws Exception {
        String id = create("preview").get("id").getAsString();
        HttpResponse<byte[]> first = server.get("/s/" + id + "/preview.png");
        assertEquals(200, first.statusCode());
        assertEquals("image/png", first.headers().firstValue("Content-Type").orElse(""));
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertEquals(WIDTH, preview.getWidth(), "small photos keep their size");
        assertEquals(HEIGHT, preview.getHeight());
        BufferedImage photo = TestImages.gradient(WIDTH, HEIGHT);
        int inside = preview.getRGB(60, 45);
        int outside = preview.getRGB(120, 100);
        assertEquals(photo.getRGB(120, 100) & 0xffffff, outside & 0xffffff, "outside the mask the photo is untouched");
        int insideBlue = inside & 0xff;
        int photoBlue = photo.getRGB(60, 45) & 0xff;
        assertTrue(insideBlue > photoBlue + 40, "inside the mask the photo is tinted blue: " + insideBlue + " vs " + photoBlue);
        Path cached = data.resolve(".shares/previews/" + id + ".png");
        assertTrue(Files.exists(cached), "rendered once and kept");
        assertArrayEquals(first.body(), server.get("/s/" + id + "/preview.png").body());
    }

    private static String metaContent(String html, String attribute, String name) {
        Matcher m = Pattern.compile("<meta " + attribute + "=\"" + Pattern.quote(name) + "\" content=\"([^\"]*)\">")
                .matcher(html);
        assertTrue(m.find(), "no meta " + name);
        return m.group(1);
    }

    private static void assertNoInlineScriptOrStyle(String html) {
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src="), "only external scripts: " + scripts.group());
        }
        assertFalse(html.contains(" style="), "no inline style attributes");
        assertFalse(html.contains("<style"), "no inline style elements");
    }
}

package clickseg.server.embed;

import clickseg.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedding routes of one real server: the embed page for a stored image or a web image, and the
 * files another site includes (/embed.js) or reads (/embed-example.html and its script). Every page
 * must work under a Content-Security-Policy without inline script or inline style, so none may carry
 * either.
 */
class EmbedPageTest {
    private static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path data;
    static TestServer server;
    static String imageId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        imageId = server.upload(png(), "image/png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 96, 64);
        g.setColor(Color.RED);
        g.fillOval(20, 12, 40, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    @Test
    void the_embed_page_of_a_stored_image_is_the_app_page_marked_with_the_image_and_the_embed_layout() throws Exception {
        HttpResponse<byte[]> response = server.get("/embed/" + imageId + "?parent=https%3A%2F%2Fshop.example");
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith("text/html"), header(response, "Content-Type"));
        String html = TestServer.text(response);
        assertTrue(html.contains("<meta name=\"clickseg-embed\" content=\"" + imageId + "\">"), html);
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/app/embed.css\">"), html);
        assertTrue(html.indexOf("/app/embed.css") > html.indexOf("/app/clickseg.css"), "the embed layout overrides the app's");
        assertTrue(html.contains("src=\"/app/boot.js\""), "assets by absolute URL, so they load at /embed/{id}");
        assertEquals(200, server.get("/app/embed.css").statusCode());
        assertWorksUnderStrictCsp(html);
    }

    @Test
    void a_malformed_image_id_is_400_and_an_unknown_one_404() throws Exception {
        HttpResponse<byte[]> malformed = server.get("/embed/not-an-id");
        assertEquals(400, malformed.statusCode());
        assertEquals("bad_id", TestServer.json(malformed).get("error").getAsString());
        HttpResponse<byte[]> upperCase = server.get("/embed/" + imageId.toUpperCase());
        assertEquals(400, upperCase.statusCode());
        HttpResponse<byte[]> unknown = server.get("/embed/" + "0".repeat(64));
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", TestServer.json(unknown).get("error").getAsString());
    }

    @Test
    void a_server_that_restricts_embedding_refuses_a_parent_it_does_not_list(@TempDir Path restrictedData) throws Exception {
        try (TestServer restricted = TestServer.start(restrictedData, java.util.Map.of(),
                "--embed-origins", "https://blog.example")) {
            String id = restricted.upload(png(), "image/png");
            assertEquals(200, restricted.get("/embed/" + id + "?parent=https%3A%2F%2Fblog.example").statusCode());
            HttpResponse<byte[]> foreign = restricted.get("/embed/" + id + "?parent=https%3A%2F%2Fevil.example");
            assertEquals(403, foreign.statusCode());
            assertEquals("origin_not_allowed", TestServer.json(foreign).get("error").getAsString());
            assertEquals(403, restricted.get("/embed?url=https%3A%2F%2Fa.example%2Fb.jpg&parent=null").statusCode());
        }
        // The default lets any site embed, so any parent is fine.
        assertEquals(200, server.get("/embed/" + imageId + "?parent=https%3A%2F%2Fevil.example").statusCode());
    }

    @Test
    void the_web_image_form_needs_an_http_url_and_leaves_the_fetching_to_the_page() throws Exception {
        HttpResponse<byte[]> page = server.get("/embed?url=https%3A%2F%2Fphotos.example%2Fcat.jpg&parent=https%3A%2F%2Fa.example");
        assertEquals(200, page.statusCode());
        assertTrue(TestServer.text(page).contains("<meta name=\"clickseg-embed\" content=\"\">"));
        assertEquals(400, server.get("/embed").statusCode());
        HttpResponse<byte[]> file = server.get("/embed?url=file%3A%2F%2F%2Fetc%2Fpasswd");
        assertEquals(400, file.statusCode());
        assertEquals("url_refused", TestServer.json(file).get("error").getAsString());
    }

    @Test
    void embed_js_and_the_example_page_are_served_with_their_types_and_no_inline_script_or_style() throws Exception {
        HttpResponse<byte[]> script = server.get("/embed.js");
        assertEquals(200, script.statusCode());
        assertTrue(header(script, "Content-Type").startsWith("text/javascript"), header(script, "Content-Type"));
        String js = TestServer.text(script);
        assertTrue(js.contains("customElements.define('sam-segmenter'"), "defines the custom element");
        assertFalse(js.contains("eval(") || js.contains("new Function"), "no eval");

        HttpResponse<byte[]> example = server.get("/embed-example.html");
        assertEquals(200, example.statusCode());
        String html = TestServer.text(example);
        assertTrue(html.contains("<script src=\"/embed.js\"></script>"), "the example includes embed.js");
        assertWorksUnderStrictCsp(html);
        assertEquals(200, server.get("/embed-example.js").statusCode());
        assertEquals(200, server.get("/app/embed-example.css").statusCode());
    }

    /** Every script is a file (src=…), and nothing carries a style attribute or a style element. */
    private static void assertWorksUnderStrictCsp(String html) {
        Matcher script = SCRIPT_TAG.matcher(html);
        int scripts = 0;
        while (script.find()) {
            scripts++;
            assertTrue(script.group(1).contains("src="), "an inline script: " + script.group());
        }
        assertTrue(scripts > 0, "the page has its scripts");
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "a style attribute");
        assertFalse(html.toLowerCase().contains("<style"), "a style element");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline handler");
    }
}

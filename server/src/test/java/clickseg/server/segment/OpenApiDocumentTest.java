package clickseg.server.segment;

import clickseg.server.TestServer;
import clickseg.server.App;
import clickseg.server.everything.EverythingRoutes;
import clickseg.server.ServerConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document parses and describes exactly the routes {@link App} registers. */
class OpenApiDocumentTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_served_document_is_openapi_3_json_with_every_route_the_app_registers_and_no_other() throws Exception {
        HttpResponse<byte[]> response = server.get("/api/openapi.json");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject document = JsonParser.parseString(TestServer.text(response)).getAsJsonObject();
        assertTrue(document.get("openapi").getAsString().startsWith("3."), document.get("openapi").toString());
        assertFalse(document.getAsJsonObject("info").get("title").getAsString().isBlank());

        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonElement> path : document.getAsJsonObject("paths").entrySet()) {
            for (String method : path.getValue().getAsJsonObject().keySet()) {
                if (HTTP_METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertEquals(registeredRoutes(), documented);
    }

    @Test
    void every_reference_in_the_document_resolves() throws Exception {
        JsonObject document = JsonParser.parseString(TestServer.text(server.get("/api/openapi.json"))).getAsJsonObject();
        Set<String> unresolved = new TreeSet<>();
        collectUnresolved(document, document, unresolved);
        assertTrue(unresolved.isEmpty(), "unresolved $ref: " + unresolved);
    }

    /** Method and path of every HTTP route, read from Javalin's router after {@link App#create}. */
    private static Set<String> registeredRoutes() {
        ServerConfig config = ServerConfig.parse(new String[] {"--port", "0"}, Map.of(), 1);
        Javalin javalin = new App(config, null, null, null, "cpu", null, new EverythingRoutes(null, null), null, null, null, null).create(); // routes only, never started
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint parsed : javalin.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.path.startsWith("/api/") || endpoint.path.equals("/health") || endpoint.path.equals("/metrics")) { // "/" and "/app/*" are the page
                routes.add(endpoint.method.name() + " " + endpoint.path);
            }
        }
        assertTrue(routes.contains("POST /api/images/{id}/segment"), "read the routes: " + routes);
        return routes;
    }

    private static void collectUnresolved(JsonElement element, JsonObject document, Set<String> unresolved) {
        if (element.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
                if (entry.getKey().equals("$ref")) {
                    String ref = entry.getValue().getAsString();
                    if (!resolves(ref, document)) {
                        unresolved.add(ref);
                    }
                } else {
                    collectUnresolved(entry.getValue(), document, unresolved);
                }
            }
        } else if (element.isJsonArray()) {
            for (JsonElement item : element.getAsJsonArray()) {
                collectUnresolved(item, document, unresolved);
            }
        }
    }

    private static boolean resolves(String ref, JsonObject document) {
        if (!ref.startsWith("#/")) {
            return false;
        }
        JsonElement at = document;
        for (String part : ref.substring(2).split("/")) {
            if (!at.isJsonObject() || !at.getAsJsonObject().has(part)) {
                return false;
            }
            at = at.getAsJsonObject().get(part);
        }
        return true;
    }
}

package clickseg.server.segment;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3 description of every route the server registers, kept as a
 * resource ({@code /api/openapi.json} on the classpath) and checked against the registered routes by
 * {@code OpenApiDocumentTest}.
 */
public final class OpenApiDocument {
    public static final String RESOURCE = "/api/openapi.json";
    private static final byte[] DOCUMENT = load();

    private OpenApiDocument() {
    }

    public static void serve(Context ctx) {
        ctx.contentType("application/json");
        ctx.header("Cache-Control", "no-cache"); // it changes with the server version; let clients revalidate
        ctx.result(DOCUMENT);
    }

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the server jar lacks " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

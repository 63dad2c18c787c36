package clickseg.server.web;

import com.google.gson.JsonObject;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Jetty's own error answers (a request line or URI it cannot parse, e.g. {@code GET /%zz}, headers too large,
 * a body too slow, answered before or outside any Javalin handler) with the same security headers as every
 * other response. Under {@code /api/}, and for messages Jetty cannot even tie to a path, the body is the API's
 * JSON error {@code {error, message}}; pages keep Jetty's HTML.
 */
public final class ContainerErrorPage extends ErrorHandler {
    private final Map<String, String> headers;

    public ContainerErrorPage(SecurityHeaders securityHeaders) {
        this.headers = securityHeaders.headersFor("/"); // no page of ours: framed by nobody else
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headers.forEach(response.getHeaders()::put);
        if (isApi(request)) {
            int status = response.getStatus();
            Object message = request.getAttribute(ERROR_MESSAGE);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(json(status, message == null ? null : message.toString())), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        headers.forEach(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, reason));
    }

    /** Whether the request's raw path is under /api/ (a URI Jetty refused may not decode, so no decoded path). */
    private static boolean isApi(Request request) {
        if (request.getHttpURI() == null) {
            return false;
        }
        String uri = request.getHttpURI().toString();
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "" : uri.substring(slash);
        }
        // A request Jetty could not parse reaches here as a stand-in named /badMessage: its real path is
        // unknown, and a JSON error serves an API client and a browser alike.
        return uri.startsWith("/api/") || uri.equals("/badMessage");
    }

    /** The API's error body for a status Jetty chose. */
    static byte[] json(int status, String reason) {
        String error = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "busy";
            default -> status >= 500 ? "internal" : "bad_request";
        };
        String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        JsonObject body = new JsonObject();
        body.addProperty("error", error);
        body.addProperty("message", "the request was refused by the HTTP layer: " + message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package clickseg.server.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Jetty's own error answers (a request line or URI it cannot parse, e.g. {@code GET /%zz}, answered before
 * any Javalin handler runs) with the same security headers as every other response. The body stays Jetty's.
 */
public final class ContainerErrorPage extends ErrorHandler {
    private final Map<String, String> headers;

    public ContainerErrorPage(SecurityHeaders securityHeaders) {
        this.headers = securityHeaders.headersFor("/"); // no page of ours: framed by nobody else
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headers.forEach(response.getHeaders()::put);
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        headers.forEach(fields::put);
        return super.badMessageError(status, reason, fields);
    }
}

package clickseg.server.ops;

import io.javalin.http.Context;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request id per request: the client's X-Request-Id when it is a sane token (a proxy in front already named
 * the request), else a new one. Answered in X-Request-Id and written in every log line about the request, so
 * one request can be followed from the proxy through the replica's log.
 */
public final class RequestIds {
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String ATTRIBUTE = "clickseg.requestId";
    /** The request id's name in the logs' mapped diagnostic context: "mdc": {"requestId": …} in JSON lines. */
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String given = ctx.header("X-Request-Id");
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
        MDC.put(MDC_KEY, id); // every line logged on this thread until the request ends carries it (JSON logs)
    }

    /** The request has been answered: later lines on this (pooled) thread belong to no request. */
    public static void release() {
        MDC.remove(MDC_KEY);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}

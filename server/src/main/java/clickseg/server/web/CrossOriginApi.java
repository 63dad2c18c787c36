package clickseg.server.web;

import clickseg.server.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * CORS for the API (and /embed.js, which a host page may load as a module): pages on the allowed
 * {@link EmbedOrigins} may call it from their own scripts.
 *
 * <p>With "*" every answer says {@code Access-Control-Allow-Origin: *}: the API carries no cookies or other
 * ambient credentials, so letting any site read it exposes nothing a plain HTTP client could not get.
 * With a list, the answer names the caller's origin only when it is listed (and says {@code Vary: Origin}
 * so caches keep answers per origin); other sites' scripts cannot read the answers, and their preflights
 * are refused, which stops the non-simple requests (JSON bodies, DELETE with a secret) before they run.
 */
public final class CrossOriginApi {
    private static final String METHODS = "GET, POST, DELETE, OPTIONS";
    /** Request headers the API reads: JSON and image bodies, and the share delete secret. */
    private static final String REQUEST_HEADERS = "Content-Type, X-Delete-Secret";
    /** Response headers a caller may read beyond the CORS-safelisted ones. */
    private static final String EXPOSED = "ETag, Retry-After, Content-Length";
    private static final String PREFLIGHT_CACHE_SECONDS = "600";

    private final EmbedOrigins origins;

    public CrossOriginApi(EmbedOrigins origins) {
        this.origins = origins;
    }

    /** Whether a path answers cross-origin requests at all. */
    public static boolean appliesTo(String path) {
        return path.startsWith("/api/") || path.equals("/embed.js");
    }

    /**
     * A before-handler: the CORS headers of an actual request, or the whole answer to a preflight (OPTIONS),
     * which is answered here for every API path rather than by a route per path.
     */
    public void apply(Context ctx) {
        if (!appliesTo(ctx.path())) {
            return;
        }
        if (ctx.method() == HandlerType.OPTIONS) {
            preflight(ctx);
            ctx.skipRemainingHandlers();
            return;
        }
        if (allowOrigin(ctx)) {
            ctx.header("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /** The answer to the preflight a browser sends before a non-simple cross-origin request. */
    private void preflight(Context ctx) {
        if (!allowOrigin(ctx)) {
            throw new ApiException(403, "origin_not_allowed", "the origin " + ctx.header("Origin")
                    + " is not in this server's --embed-origins list");
        }
        ctx.header("Access-Control-Allow-Methods", METHODS);
        ctx.header("Access-Control-Allow-Headers", REQUEST_HEADERS);
        ctx.header("Access-Control-Max-Age", PREFLIGHT_CACHE_SECONDS);
        ctx.status(204);
    }

    /** Sets Access-Control-Allow-Origin when the caller may read the answer; returns whether it did. */
    private boolean allowOrigin(Context ctx) {
        if (origins.any()) {
            ctx.header("Access-Control-Allow-Origin", "*");
            return true;
        }
        ctx.header("Vary", "Origin"); // the answer depends on who asks, whatever it is
        String origin = ctx.header("Origin");
        if (origins.allows(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            return true;
        }
        return false;
    }
}

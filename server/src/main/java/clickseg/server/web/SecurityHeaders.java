package clickseg.server.web;

import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security headers set on every response before its handler runs, so that pages, assets, API answers,
 * errors and 404s all carry them.
 *
 * <p>Who may frame what: the embed page ({@code /embed/{imageId}}) and a share view ({@code /s/{shareId}})
 * exist to be framed, so they get the configured {@link EmbedOrigins}; everything else, the app page included,
 * only this origin. A share's delete page ({@code /s/{id}/delete}) is deliberately not framable by others: a
 * framed delete button is the classic clickjacking target.
 */
public final class SecurityHeaders {
    private final EmbedOrigins embedOrigins;
    private final String embeddableCsp;
    private final String ownOriginCsp;
    private final String workerScriptCsp = ContentSecurityPolicy.forWorkerScript();

    public SecurityHeaders(EmbedOrigins embedOrigins) {
        this.embedOrigins = embedOrigins;
        this.embeddableCsp = ContentSecurityPolicy.withFrameAncestors(embedOrigins.frameAncestors());
        this.ownOriginCsp = ContentSecurityPolicy.withFrameAncestors("'self'");
    }

    /** A before-handler for every path. */
    public void apply(Context ctx) {
        headersFor(ctx.path()).forEach(ctx::header);
    }

    /** The headers of a response to {@code path}, in a stable order. */
    public Map<String, String> headersFor(String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        boolean embeddable = isEmbeddablePage(path);
        // The worker's script carries the policy its worker runs under: the only one that allows eval.
        headers.put("Content-Security-Policy", path.equals(ContentSecurityPolicy.WORKER_SCRIPT_PATH) ? workerScriptCsp
                : embeddable ? embeddableCsp : ownOriginCsp);
        if (!embeddable) {
            headers.put("X-Frame-Options", "SAMEORIGIN"); // for browsers that predate frame-ancestors
        }
        headers.put("X-Content-Type-Options", "nosniff");
        // A share's address is its only access control; its pages send no Referer at all. Elsewhere other
        // sites learn at most this origin, never a path with an image id.
        headers.put("Referrer-Policy", isSharePath(path) ? "no-referrer" : "strict-origin-when-cross-origin");
        headers.put("Cross-Origin-Resource-Policy", resourcePolicy(path));
        return headers;
    }

    /** /embed/{imageId}, /embed?url=… and /s/{shareId}: pages made to live inside other sites' frames. */
    static boolean isEmbeddablePage(String path) {
        if (path.startsWith("/embed/") || path.equals("/embed")) {
            return true;
        }
        return isSharePath(path) && path.indexOf('/', "/s/".length()) < 0;
    }

    private static boolean isSharePath(String path) {
        return path.startsWith("/s/");
    }

    /**
     * Cross-Origin-Resource-Policy: which sites may load a response as a no-cors subresource (an img, script or
     * link tag). Browsers enforce it whenever it is sent, so it must not block what embedding needs: the embed
     * script, embed and share pages (and a share's preview image), and the page's static assets (public code and
     * styles an embedding may reference) are for other sites; API answers too when any site may embed (CORS
     * already lets any site read them then), but only this origin when embedding is restricted to a list, whose
     * members read the API through CORS, which this header does not affect. The app page itself and /health
     * stay same-origin.
     */
    private String resourcePolicy(String path) {
        if (path.equals("/embed.js") || isEmbeddablePage(path) || isSharePath(path) || path.startsWith("/app/")) {
            return "cross-origin";
        }
        if (path.startsWith("/api/")) {
            return embedOrigins.any() ? "cross-origin" : "same-origin";
        }
        return "same-origin";
    }
}

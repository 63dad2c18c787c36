package clickseg.server.web;

import com.google.gson.Gson;
import io.javalin.http.Context;

import java.util.Map;

/**
 * GET /api/embed-policy: which sites may embed this server's pages and call its API, and whether it fetches
 * remote images, so an embed page or embed.js can explain a refusal instead of failing silently.
 * Nothing here is secret: the same list is in every embed page's Content-Security-Policy header.
 */
public final class EmbedPolicyRoute {
    private final EmbedOrigins origins;
    private final boolean remoteImages;

    public EmbedPolicyRoute(EmbedOrigins origins, boolean remoteImages) {
        this.origins = origins;
        this.remoteImages = remoteImages;
    }

    /** {"origins": "*" | ["https://a.example", ...], "remoteImages": bool}. */
    public void serve(Context ctx) {
        Map<String, Object> body = Map.of("origins", origins.any() ? "*" : origins.origins(), "remoteImages", remoteImages);
        ctx.contentType("application/json");
        ctx.result(new Gson().toJson(body));
    }
}

package clickseg.server;

import io.javalin.http.Context;

import java.util.Locale;

/**
 * The body of a POST that costs the server CPU (segment, everything, fetch, shares): JSON only, and small.
 *
 * <p>JSON only (415 otherwise, the body unread): a {@code text/plain} or form POST is a "simple" cross-site
 * request that any page can make a visitor's browser send without a CORS preflight, so accepting it would let
 * other sites spend our decoder time (and would bypass {@code --embed-origins}). {@code application/json} needs
 * the preflight, which CORS answers for listed origins only.
 *
 * <p>Small: the limit is enforced while reading ({@link RefusedBody#readAtMost}), so a client announcing or
 * streaming 50 MB makes the server hold at most the limit plus one byte.
 */
public final class JsonBody {
    /** Every JSON request this API takes fits easily (a 100-image batch is ~10 KB, a prompt ~1 KB). */
    public static final int DEFAULT_MAX_BYTES = 64 << 10;

    private JsonBody() {
    }

    /** The raw bytes of a JSON body of at most {@code maxBytes}; 415 / 413 otherwise. */
    public static byte[] read(Context ctx, int maxBytes, String what) {
        requireJson(ctx);
        return RefusedBody.readAtMost(ctx, maxBytes, what);
    }

    /** 415 unless the request says it carries application/json. */
    public static void requireJson(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT).trim();
        if (!(type.equals("application/json") || type.startsWith("application/json;"))) {
            RefusedBody.discard(ctx);
            throw new ApiException(415, "unsupported_media_type", "send the request as application/json (got "
                    + (ctx.contentType() == null ? "no content type" : "\"" + ctx.contentType() + "\"") + ")");
        }
    }
}

package clickseg.server.embed;

import clickseg.server.ApiException;
import clickseg.server.ImageLibrary;
import clickseg.server.web.EmbedOrigins;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The embed page: the app's own index.html in its embed layout, for an iframe on another site.
 * <ul>
 * <li>{@code GET /embed/{imageId}?parent=ORIGIN}: a stored image, opened at once;</li>
 * <li>{@code GET /embed?url=https://…&parent=ORIGIN}: an image on the web, which the page asks the
 *     server to fetch (POST /api/images/fetch; off unless the server enables remote images).</li>
 * </ul>
 * The page is index.html with two tags added to its head: {@code <meta name="clickseg-embed"
 * content="IMAGE_ID">} (empty content for the URL form), which is how the web client knows it is
 * embedded (clickseg.web.js.EmbedBridge), and the embed stylesheet that hides what an embed does
 * not need. Serving the same file keeps the two pages from drifting apart. The {@code parent}
 * parameter is the origin the page talks to with postMessage; when the server restricts embedding
 * (--embed-origins) it must be one of the listed sites.
 */
public final class EmbedPage {
    private static final String INDEX = "/public/index.html";
    private static final String HEAD_END = "</head>";

    private final ImageLibrary library;
    private final EmbedOrigins allowed;
    private volatile String index; // index.html, read from the web-client jar once

    /** @param allowed the sites that may embed (--embed-origins); a {@code parent} outside it is refused */
    public EmbedPage(ImageLibrary library, EmbedOrigins allowed) {
        this.library = library;
        this.allowed = allowed;
    }

    /** GET /embed/{id}: 400 for a malformed id, 404 for an image that is not stored. */
    public void image(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ImageLibrary.isValidId(id)) {
            throw new ApiException(400, "bad_id", "an image id is 64 lowercase hex digits (the sha256 of its bytes)");
        }
        if (!library.has(id)) {
            throw new ApiException(404, "not_found", "no image " + id + " is stored (never uploaded, or evicted)");
        }
        send(ctx, id);
    }

    /** GET /embed?url=…: 400 unless url is an absolute http(s) URL; the page does the rest. */
    public void remoteImage(Context ctx) {
        String url = ctx.queryParam("url");
        if (url == null || url.isBlank()) {
            throw new ApiException(400, "bad_request", "name the image: /embed/{imageId}, or /embed?url=https://…");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new ApiException(400, "url_refused", "the url parameter must be an http or https URL");
        }
        send(ctx, "");
    }

    private void send(Context ctx, String imageId) {
        // frame-ancestors already stops an unlisted site from framing the page; refusing its origin here as
        // well means the bridge is never even told to post masks to it (a top-level visit, an old browser).
        String parent = ctx.queryParam("parent");
        if (!allowed.any() && parent != null && !allowed.allows(parent)) {
            throw new ApiException(403, "origin_not_allowed", "this server lets only " + allowed.origins()
                    + " embed the segmenter; parent " + parent + " is not one of them");
        }
        String page = index();
        int head = page.indexOf(HEAD_END);
        if (head < 0) {
            throw new IllegalStateException(INDEX + " has no " + HEAD_END);
        }
        // imageId is 64 hex digits or empty: nothing in it needs escaping.
        String tags = "<meta name=\"clickseg-embed\" content=\"" + imageId + "\">\n"
                + "  <link rel=\"stylesheet\" href=\"/app/embed.css\">\n";
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(page.substring(0, head) + tags + page.substring(head));
    }

    private String index() {
        String page = index;
        if (page == null) {
            try (InputStream in = EmbedPage.class.getResourceAsStream(INDEX)) {
                if (in == null) {
                    throw new IllegalStateException("no " + INDEX + " on the classpath: the web-client jar is missing");
                }
                page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + INDEX, e);
            }
            index = page;
        }
        return page;
    }
}

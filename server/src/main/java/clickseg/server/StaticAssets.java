package clickseg.server;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page (index.html and its app/* assets) from the classpath folder {@code /public}, which the
 * web-client jar fills.
 *
 * <p>Caching: every file carries a strong ETag (its sha256) and {@code Cache-Control: no-cache}, so a
 * browser may keep it but asks before each use, and a 304 costs one small round trip. That keeps
 * index.html, boot.js and the TeaVM outputs (whose names do not change between builds) from ever being
 * stale after an upgrade, and a wasm module stays in sync with the runtime script that loads it.
 * The jar cannot change while the server runs, so each file is read and hashed once.
 */
public final class StaticAssets {
    private static final String ROOT = "/public";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "wasm", "application/wasm",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "map", "application/json");

    private record Asset(byte[] bytes, String etag, String contentType) {
    }

    private static final Asset MISSING = new Asset(new byte[0], "", "");
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    /** GET / and GET /app/&lt;path&gt;. */
    public void serve(Context ctx) {
        String path = ctx.path();
        if (path.equals("/")) {
            path = "/index.html";
        }
        Asset asset = isSafe(path) ? loaded.computeIfAbsent(path, StaticAssets::read) : MISSING;
        if (asset == MISSING) {
            throw new ApiException(404, "not_found", "no file " + ctx.path() + " is part of the page");
        }
        ctx.header("ETag", asset.etag());
        ctx.header("Cache-Control", "no-cache");
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType());
        ctx.result(asset.bytes());
    }

    /** Only plain relative names below the root: no "..", no empty or hidden segments, no backslashes. */
    private static boolean isSafe(String path) {
        if (path.indexOf('\\') >= 0 || path.indexOf('%') >= 0 || path.endsWith("/")) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static Asset read(String path) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return MISSING;
            }
            byte[] bytes = in.readAllBytes();
            int dot = path.lastIndexOf('.');
            String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
            return new Asset(bytes, "\"" + Sha256.hex(bytes) + "\"",
                    CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + path + " from the classpath", e);
        }
    }
}

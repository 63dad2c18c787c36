package clickseg.server.web;

/**
 * The Content-Security-Policy every response carries: what the page needs and nothing else. Only
 * {@code frame-ancestors} differs between responses (who may frame them, see {@link SecurityHeaders}), and
 * {@code script-src} for the decoder worker's script.
 *
 * <p>Pages, assets and API answers get {@link #FIXED}, with no eval of any kind: the page runs TeaVM's
 * JavaScript build, which needs none (app/boot.js), and an API answer opened as a document should be as
 * confined as a page. The decoder workers run the WebAssembly GC build, whose runtime needs eval; a dedicated
 * worker runs under the policy delivered with its own script's response (CSP Level 3), so only the response
 * for app/worker.js gets {@link #WORKER_FIXED}, and the eval it allows stays inside the workers.
 */
public final class ContentSecurityPolicy {
    /** The one script whose response allows eval: a dedicated worker runs under this response's policy. */
    public static final String WORKER_SCRIPT_PATH = "/app/worker.js";

    /**
     * Each directive and why it is there:
     * <ul>
     * <li>{@code default-src 'none'}: whatever is not named below (fonts, media, manifests, frames) is refused.</li>
     * <li>{@code script-src 'self'}: the page's scripts are files from this origin (boot.js, TeaVM's
     *     classes.js), never inline, never eval; the page compiles no WebAssembly (it only validates a tiny
     *     probe module to choose its workers' build, which CSP does not restrict).</li>
     * <li>{@code worker-src 'self'}: decoder workers are {@code new Worker("app/worker.js")}, same origin.</li>
     * <li>{@code frame-src 'self'}: /embed-example.html frames this server's own embed page, to show how
     *     another site would; no page frames anything from elsewhere.</li>
     * <li>{@code connect-src 'self'}: fetch/XHR go to this server only (the API, the wasm module, weights).</li>
     * <li>{@code img-src 'self' blob: data:}: images from /api/images/{id}, object URLs of a file the user
     *     opened or pasted (blob:), the inline SVG favicon (data:).</li>
     * <li>{@code style-src 'self'}: app/clickseg.css; the page has no inline style elements or attributes
     *     (styles set from script through element.style are not restricted by CSP).</li>
     * <li>{@code object-src 'none'}, {@code base-uri 'none'}: no plugins; no {@code <base>} that could
     *     re-point the page's relative script URLs.</li>
     * <li>{@code form-action 'self'}: no form posts anywhere else.</li>
     * </ul>
     */
    public static final String FIXED = policy("script-src 'self'");

    /**
     * {@link #FIXED} with eval allowed, for the response of app/worker.js only: {@code 'wasm-unsafe-eval'}
     * compiles app/wasm/classes.wasm; {@code 'unsafe-eval'} because TeaVM 0.16's WasmGC runtime
     * (classes.wasm-runtime.js, which the worker imports) builds its JavaScript glue with {@code new Function}
     * when the module loads (every @JSBody script becomes a function from its source text). Without it the
     * worker falls back to the slower JavaScript build.
     */
    public static final String WORKER_FIXED = policy("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'");

    private static String policy(String scriptSrc) {
        return "default-src 'none'; "
                + scriptSrc + "; "
                + "worker-src 'self'; "
                + "frame-src 'self'; "
                + "connect-src 'self'; "
                + "img-src 'self' blob: data:; "
                + "style-src 'self'; "
                + "object-src 'none'; "
                + "base-uri 'none'; "
                + "form-action 'self'";
    }

    private ContentSecurityPolicy() {
    }

    /** The full policy for a response that the given frame-ancestors sources may frame. */
    public static String withFrameAncestors(String sources) {
        return FIXED + "; frame-ancestors " + sources;
    }

    /** The full policy for the decoder worker's script, which only this origin may frame. */
    public static String forWorkerScript() {
        return WORKER_FIXED + "; frame-ancestors 'self'";
    }
}

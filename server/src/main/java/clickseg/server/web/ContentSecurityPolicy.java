package clickseg.server.web;

/**
 * The Content-Security-Policy every response carries: what the page needs and nothing else. Only
 * {@code frame-ancestors} differs between responses (who may frame them, see {@link SecurityHeaders}).
 *
 * <p>One policy for pages, scripts and API answers alike, because a worker script's own response header is
 * the policy that worker runs under (app/worker.js imports the TeaVM build and fetches the wasm module and
 * decoder weights), and because an API answer opened as a document should be as confined as a page.
 */
public final class ContentSecurityPolicy {
    /**
     * Each directive and why it is there:
     * <ul>
     * <li>{@code default-src 'none'}: whatever is not named below (fonts, media, manifests, frames) is refused.</li>
     * <li>{@code script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'}: the page's scripts are files from this
     *     origin (boot.js, worker.js, TeaVM's classes.js / classes.wasm-runtime.js), never inline.
     *     'wasm-unsafe-eval' compiles app/wasm/classes.wasm. 'unsafe-eval' because TeaVM 0.16's WasmGC runtime
     *     builds its JavaScript glue with {@code new Function} when the module loads (every @JSBody script
     *     becomes a function from its source text); without it the WebAssembly build cannot start and the page
     *     falls back to the slower JavaScript build, which itself needs no eval. No inline script runs.</li>
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
    public static final String FIXED = "default-src 'none'; "
            + "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; "
            + "worker-src 'self'; "
            + "frame-src 'self'; "
            + "connect-src 'self'; "
            + "img-src 'self' blob: data:; "
            + "style-src 'self'; "
            + "object-src 'none'; "
            + "base-uri 'none'; "
            + "form-action 'self'";

    private ContentSecurityPolicy() {
    }

    /** The full policy for a response that the given frame-ancestors sources may frame. */
    public static String withFrameAncestors(String sources) {
        return FIXED + "; frame-ancestors " + sources;
    }
}

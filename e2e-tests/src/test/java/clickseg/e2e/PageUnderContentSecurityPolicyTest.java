package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page works under the server's Content-Security-Policy, in the runtimes it is meant to use: the page
 * itself runs TeaVM's JavaScript build under a policy with no eval at all, while its decoder workers run the
 * WebAssembly GC build under the policy of their own script's response, which alone allows eval (TeaVM's
 * WasmGC glue needs it), not the JavaScript fallback a worker would silently take without it. Any violation
 * the page or a worker reports counts as a failure.
 */
class PageUnderContentSecurityPolicyTest {
    /** Collects securitypolicyviolation events of the page as "directive: blocked URI". */
    private static final String RECORD_VIOLATIONS = "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', function (e) {"
            + "  window.__cspViolations.push(e.effectiveDirective + ': ' + e.blockedURI); });";

    @RegisterExtension
    static final ServerAndBrowser stage = new ServerAndBrowser(60_000);

    @Test
    void the_page_runs_without_eval_and_its_webassembly_workers_segment_and_export_without_a_single_violation() {
        try (BrowserContext context = stage.chromium().newContext()) {
            ClicksegPage clickseg = new ClicksegPage(context.newPage(), stage.server().baseUrl());
            clickseg.page().addInitScript(RECORD_VIOLATIONS);
            List<String> workerPolicies = new CopyOnWriteArrayList<>();
            context.onResponse(response -> {
                if (response.url().contains("/app/worker.js")) {
                    workerPolicies.add(String.valueOf(response.headerValue("content-security-policy")));
                }
            });
            Response document = clickseg.page().navigate(stage.server().baseUrl());
            String policy = document.headerValue("content-security-policy");
            assertTrue(policy != null && policy.contains("default-src 'none'") && policy.contains("script-src 'self';"),
                    "the page is served under the policy: " + policy);
            assertFalse(policy.contains("unsafe-eval"), "the page's policy allows no eval of any kind: " + policy);

            assertThat(clickseg.app()).hasAttribute("data-runtime", "wasm"); // the build its workers start
            clickseg.chooseDiscAndRectangle(); // a blob: URL of the chosen file, then the upload
            assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
            // Named by the workers once they started: a worker refused eval would fall back to "JavaScript".
            assertThat(clickseg.decoderInfo()).containsText("Decoder: WebAssembly GC + SIMD · ");
            assertEquals("function|undefined", clickseg.page().evaluate("typeof main + '|' + typeof TeaVM"),
                    "the page runs the JavaScript build and never loads the WasmGC runtime");
            assertFalse(workerPolicies.isEmpty(), "the workers' script was fetched");
            for (String workerPolicy : workerPolicies) {
                assertTrue(workerPolicy.contains("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval';"),
                        "the workers run under their own script's policy: " + workerPolicy);
            }
            clickseg.clickImageAt(SyntheticImages.DISC_X, SyntheticImages.DISC_Y); // decoded in a worker
            assertThat(clickseg.viewer()).hasAttribute("data-mask-area", Pattern.compile("[1-9][0-9]*"));
            assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
            assertTrue(clickseg.exportCutoutPng().length > 0); // canvas -> blob: -> download

            assertEquals(List.of(), clickseg.page().evaluate("window.__cspViolations"), "violations reported");
            assertEquals(List.of(), clickseg.consoleErrors(), "console errors (a refused eval or load shows here)");
        }
    }
}

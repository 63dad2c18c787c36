package clickseg.e2e;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server (the built jar, a fresh data folder) and one headless Chromium for a whole story class,
 * started before its first story and closed after its last: {@code @RegisterExtension static final
 * ServerAndBrowser stage = new ServerAndBrowser(60_000);}. Each story opens its own browser context.
 */
final class ServerAndBrowser implements BeforeAllCallback, AfterAllCallback {
    private final int assertionTimeoutMillis;
    private ClicksegServer server;
    private HeadlessChromium chromium;

    /**
     * @param assertionTimeoutMillis an upper bound for web-first assertions, not a wait: the first upload runs
     *                               the encoder, and a loaded machine is slow
     */
    ServerAndBrowser(int assertionTimeoutMillis) {
        this.assertionTimeoutMillis = assertionTimeoutMillis;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        PlaywrightAssertions.setDefaultAssertionTimeout(assertionTimeoutMillis);
        server = ClicksegServer.start();
        chromium = HeadlessChromium.launch();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    ClicksegServer server() {
        return server;
    }

    HeadlessChromium chromium() {
        return chromium;
    }
}

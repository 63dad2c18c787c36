package clickseg.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Paths;
import java.util.List;

/**
 * Debian's Chromium, headless, driven by Playwright: the one browser every story runs in. The driver must not
 * fetch browsers of its own (none can be downloaded here), so the executable is the system's, with the flags
 * that keep it from reaching the network on its own.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static HeadlessChromium launch() {
        Playwright playwright = Playwright.create();
        try {
            return new HeadlessChromium(playwright, launch(playwright));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** /usr/bin/chromium with the project's headless flags, for a test that owns its Playwright. */
    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setArgs(FLAGS));
    }

    Browser browser() {
        return browser;
    }

    /** A fresh context (its own cache, storage and cookies) with a 1280×800 viewport that accepts downloads. */
    BrowserContext newContext() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setAcceptDownloads(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

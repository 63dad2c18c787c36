package clickseg.e2e;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Saves a full-page screenshot when a story fails, named after the test, into
 * target/e2e-screenshots. Runs before @AfterEach so the page is still open.
 */
final class ScreenshotOnFailure implements AfterTestExecutionCallback {
    /** Implemented by story classes so the extension can reach the page under test. */
    interface PageUnderTest {
        Page currentPage();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()
                || context.getExecutionException().get() instanceof org.opentest4j.TestAbortedException) {
            return; // passed, or skipped by an assumption: nothing to look at
        }
        Object instance = context.getRequiredTestInstance();
        if (!(instance instanceof PageUnderTest)) {
            return;
        }
        Page page = ((PageUnderTest) instance).currentPage();
        if (page == null || page.isClosed()) {
            return;
        }
        Path file = Paths.get(System.getProperty("clickseg.e2e.screenshots", "target/e2e-screenshots"))
                .resolve(context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getRequiredTestMethod().getName() + ".png");
        try {
            page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            System.err.println("Screenshot of the failed story: " + file.toAbsolutePath());
        } catch (RuntimeException e) {
            System.err.println("Could not take a screenshot: " + e.getMessage());
        }
    }
}

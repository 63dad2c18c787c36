package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person outlines several objects in one picture and names them: the red disc and the blue
 * rectangle of the synthetic picture, each its own object with its own label and colour, in Debian's
 * Chromium against the real server and model. One server and browser for the class, a fresh context
 * per story; no story may leave an error in the console.
 */
@ExtendWith(ScreenshotOnFailure.class)
class LabelSeveralObjectsTest implements ScreenshotOnFailure.PageUnderTest {
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]*");
    private static final Path SCREENSHOTS = Paths.get(System.getProperty("clickseg.e2e.screenshots",
            "target/e2e-screenshots"));

    @RegisterExtension
    static final ServerAndBrowser stage = new ServerAndBrowser(90_000);

    private BrowserContext context;
    private ClicksegPage clickseg;

    @AfterEach
    void noConsoleErrorsThenClose() {
        try {
            assertEquals(List.of(), clickseg == null ? List.of() : clickseg.consoleErrors(), "console errors");
        } finally {
            if (context != null) {
                context.close();
            }
        }
    }

    @Override
    public Page currentPage() {
        return clickseg == null ? null : clickseg.page();
    }

    private void openAt(int width, int height) {
        context = stage.chromium().browser().newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setAcceptDownloads(true));
        clickseg = new ClicksegPage(context.newPage(), stage.server().baseUrl());
        clickseg.open();
        clickseg.chooseDiscAndRectangle();
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
    }

    private Locator panel() {
        return clickseg.page().locator("#objects-panel");
    }

    private Locator rows() {
        return clickseg.objectRows();
    }

    private Locator row(int index) {
        return rows().nth(index);
    }

    /** Clicks the image and waits until the current object's mask of that click is on screen. */
    private void clickAndWait(double x, double y, int pointsAfter) {
        clickseg.clickAndWaitForMask(x, y, pointsAfter);
    }

    private void label(int index, String text) {
        clickseg.labelObject(index, text);
    }

    /** Outlines the disc as "ball" and the rectangle as "box", the second with the "+ New" button. */
    private void outlineBallAndBox() {
        clickAndWait(SyntheticImages.DISC_X, SyntheticImages.DISC_Y, 1);
        assertThat(rows()).hasCount(1);
        label(0, "ball");
        clickseg.page().locator("#object-new").click();
        assertThat(rows()).hasCount(2);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "0");
        clickAndWait(SyntheticImages.RECT_LEFT + 90, SyntheticImages.RECT_TOP + 90, 1);
        label(1, "box");
    }

    @Test
    void two_objects_on_one_picture_keep_their_own_masks_labels_and_colours() {
        openAt(1280, 800);
        outlineBallAndBox();
        assertThat(rows()).hasCount(2);
        assertThat(row(0)).hasAttribute("data-label", "ball");
        assertThat(row(1)).hasAttribute("data-label", "box");
        assertThat(row(1)).hasAttribute("aria-selected", "true");
        String first = (String) row(0).evaluate("row => getComputedStyle(row).getPropertyValue('--object-colour')");
        String second = (String) row(1).evaluate("row => getComputedStyle(row).getPropertyValue('--object-colour')");
        assertTrue(!first.isBlank() && !first.equals(second), "each object has its own colour: " + first + " / " + second);
        int boxArea = clickseg.maskArea();

        // Selecting the ball shows its mask as the current one; a click now refines only the ball.
        row(0).locator(".object-select").click();
        assertThat(panel()).hasAttribute("data-selected", "1");
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
        int ballArea = clickseg.maskArea();
        assertTrue(Math.abs(ballArea - Math.PI * 90 * 90) < 0.1 * Math.PI * 90 * 90, "the ball's area: " + ballArea);
        assertTrue(Math.abs(boxArea - 180 * 180) < 0.1 * 180 * 180, "the box's area: " + boxArea);
        // The recent labels name the next object with one tap.
        assertThat(clickseg.page().locator("#recent-labels .label-chip")).hasText(new String[] {"1 ball", "2 box"});

        clickseg.page().screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("objects-1280x800.png")));
    }

    @Test
    void undo_walks_back_across_objects_and_redo_brings_them_back() {
        openAt(1280, 800);
        outlineBallAndBox();
        clickseg.undoButton().click(); // the box's click
        assertThat(rows()).hasCount(2);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "0");
        clickseg.undoButton().click(); // the box object itself
        assertThat(rows()).hasCount(1);
        assertThat(row(0)).hasAttribute("data-label", "ball");
        assertThat(row(0)).hasAttribute("aria-selected", "true");
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
        clickseg.undoButton().click(); // the ball's click, and with it the ball
        assertThat(rows()).hasCount(0);
        assertThat(clickseg.undoButton()).isDisabled();

        clickseg.redoWithKeyboard();
        clickseg.redoWithKeyboard();
        clickseg.redoWithKeyboard();
        assertThat(rows()).hasCount(2);
        assertThat(row(1)).hasAttribute("data-label", "box");
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
        assertThat(clickseg.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);

        // Deleting is undoable too: the ball comes back at its place.
        row(0).locator(".object-delete").click();
        assertThat(rows()).hasCount(1);
        clickseg.page().keyboard().press("z");
        assertThat(rows()).hasCount(2);
        assertThat(row(0)).hasAttribute("data-label", "ball");
    }

    @Test
    void one_object_is_outlined_named_and_finished_with_the_keyboard_alone_after_its_click() {
        openAt(1280, 800);
        Page page = clickseg.page();
        page.keyboard().press("?");
        assertThat(page.locator("#shortcuts")).isVisible();
        page.keyboard().press("Escape");
        assertThat(page.locator("#shortcuts")).isHidden();

        clickAndWait(SyntheticImages.DISC_X, SyntheticImages.DISC_Y, 1);
        page.keyboard().press("l"); // into the label field
        page.keyboard().type("ball");
        page.keyboard().press("Enter"); // names it
        assertThat(row(0)).hasAttribute("data-label", "ball");
        page.keyboard().press("Enter"); // finishes it: the next click starts a new object
        assertThat(panel()).hasAttribute("data-selected", "");
        page.keyboard().press("n");
        assertThat(rows()).hasCount(2);
        page.keyboard().press("1"); // the first recent label
        assertThat(row(1)).hasAttribute("data-label", "ball");
        page.keyboard().press("Delete");
        assertThat(rows()).hasCount(1);
        page.keyboard().press("Tab");
        assertThat(panel()).hasAttribute("data-selected", "1");
        page.keyboard().press("e");
        assertThat(page.locator("#mode-negative")).hasAttribute("aria-pressed", "true");
        page.keyboard().press("i");
        assertThat(page.locator("#mode-positive")).hasAttribute("aria-pressed", "true");
        page.keyboard().press("z"); // the deletion of the second object
        assertThat(rows()).hasCount(2);
        page.keyboard().press("Shift+Z");
        assertThat(rows()).hasCount(1);
    }

    @Test
    void on_a_phone_two_objects_are_labelled_with_taps_and_nothing_scrolls_sideways() {
        openAt(390, 844);
        outlineBallAndBox();
        assertThat(panel()).isVisible();
        for (String id : new String[] {"#object-new", "#object-done", "#shortcuts-button"}) {
            assertThat(clickseg.page().locator(id)).isInViewport();
        }
        assertThat(row(1).locator(".object-delete")).isInViewport();
        Number scrollWidth = (Number) clickseg.page().evaluate("() => document.documentElement.scrollWidth");
        assertEquals(390, scrollWidth.intValue(), "nothing scrolls sideways");
        Number canvasHeight = (Number) clickseg.page().evaluate("() => document.getElementById('canvas').clientHeight");
        assertTrue(canvasHeight.intValue() >= 300, "the picture keeps most of the screen: " + canvasHeight);
        clickseg.page().screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("objects-390x844.png")));

        // The export dialog fits the phone too: it opens from the ⋯ menu.
        clickseg.page().locator("#more-button").click();
        clickseg.page().locator("#export-open").click();
        assertThat(clickseg.page().locator("#export-dialog")).isVisible();
        assertThat(clickseg.page().locator("#export-download")).isInViewport();
        assertThat(clickseg.page().locator("#export-tolerance")).isInViewport();
        scrollWidth = (Number) clickseg.page().evaluate("() => document.documentElement.scrollWidth");
        assertEquals(390, scrollWidth.intValue(), "the dialog does not scroll sideways");
        clickseg.page().screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("export-dialog-390x844.png")));
    }
}

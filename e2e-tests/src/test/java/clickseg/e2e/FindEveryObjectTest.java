package clickseg.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person asks for every object and watches them arrive: the server answers the Everything button with a
 * job, the page follows it, the status line counts "Finding objects… N%" over a progress bar, and the masks
 * found so far are drawn while the job runs, with nothing of the previous prompt left on the picture. The
 * 16×16 grid the page asks for takes seconds on this machine, so the job is seen part way; screenshots
 * (1280×800) mid-way and at the end go to target/e2e-screenshots.
 */
@ExtendWith(ScreenshotOnFailure.class)
class FindEveryObjectTest implements ScreenshotOnFailure.PageUnderTest {
    /** The job's whole run is bounded by this, not waited for: a loaded machine may be slow. */
    private static final LocatorAssertions.HasAttributeOptions GENEROUS =
            new LocatorAssertions.HasAttributeOptions().setTimeout(240_000);

    @RegisterExtension
    static final ServerAndBrowser stage = new ServerAndBrowser(60_000);

    private BrowserContext context;
    private ClicksegPage clickseg;

    @BeforeEach
    void openFreshContext() {
        context = stage.chromium().newContext();
        clickseg = new ClicksegPage(context.newPage(), stage.server().baseUrl());
        // Every state of the everything view the page passes through, as the page sets it (not sampled).
        clickseg.page().addInitScript("window.__everythingSeen = [];"
                + "document.addEventListener('DOMContentLoaded', function () {"
                + "  var viewer = document.getElementById('viewer');"
                + "  if (!viewer) { return; }"
                + "  new MutationObserver(function () {"
                + "    window.__everythingSeen.push({state: viewer.getAttribute('data-everything'),"
                + "      progress: viewer.getAttribute('data-everything-progress'),"
                + "      count: viewer.getAttribute('data-everything-count'),"
                + "      status: document.getElementById('status-text').textContent});"
                + "  }).observe(viewer, {attributes: true, attributeFilter: ['data-everything',"
                + "    'data-everything-progress', 'data-everything-count']});"
                + "});");
    }

    @AfterEach
    void noConsoleErrorsThenClose() {
        try {
            assertEquals(List.of(), clickseg.consoleErrors(), "console errors");
        } finally {
            context.close();
        }
    }

    @Override
    public Page currentPage() {
        return clickseg == null ? null : clickseg.page();
    }

    @Test
    void the_everything_button_shows_a_moving_progress_bar_and_draws_the_masks_as_they_arrive() throws Exception {
        clickseg.open();
        clickseg.chooseImage("six-shapes.png", "image/png", sixShapesPng());
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        clickseg.clickImageAt(120, 130); // the red disc
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
        assertThat(clickseg.candidates()).hasCount(3);

        clickseg.everythingButton().click();
        // The previous prompt's candidates leave at once; the picture is the everything view's alone.
        assertThat(clickseg.candidates()).hasCount(0);
        assertThat(clickseg.viewer()).hasAttribute("data-everything", "finding");
        assertThat(clickseg.statusText()).hasText(Pattern.compile("Finding objects… ([1-9]|[1-9][0-9])%"),
                new LocatorAssertions.HasTextOptions().setTimeout(240_000));
        assertThat(clickseg.page().locator("#progress")).isVisible();
        // Mid-way, with a few masks already drawn: the screenshot people look at.
        assertThat(clickseg.viewer()).hasAttribute("data-everything-count", Pattern.compile("[3-9]|[1-9][0-9]+"), GENEROUS);
        Path shots = Paths.get(System.getProperty("clickseg.e2e.screenshots", "target/e2e-screenshots"));
        boolean midway = "finding".equals(clickseg.viewer().getAttribute("data-everything"));
        if (midway) {
            clickseg.page().screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("everything-progress.png")));
        }

        assertThat(clickseg.viewer()).hasAttribute("data-everything", "shown", GENEROUS);
        assertThat(clickseg.statusText()).hasText("Ready");
        assertThat(clickseg.page().locator("#progress")).isHidden();
        assertThat(clickseg.viewer()).hasAttribute("data-everything-count", Pattern.compile("[1-9][0-9]*"));
        clickseg.page().screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("everything-done.png")));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> seen = (List<Map<String, Object>>) clickseg.page().evaluate("() => window.__everythingSeen");
        int previous = -1;
        int distinctPartial = 0;
        boolean masksWhileFinding = false;
        for (Map<String, Object> state : seen) {
            if (!"finding".equals(state.get("state")) || state.get("progress") == null) {
                continue;
            }
            int percent = Integer.parseInt((String) state.get("progress"));
            assertTrue(percent >= previous, "the bar never goes back: " + seen);
            if (percent > previous && percent > 0 && percent < 100) {
                distinctPartial++;
            }
            previous = percent;
            masksWhileFinding |= state.get("count") != null && Integer.parseInt((String) state.get("count")) > 0;
        }
        assertTrue(distinctPartial >= 2, "the bar moved through at least two values short of 100%: " + seen);
        assertTrue(masksWhileFinding, "masks were drawn before the job ended: " + seen);
        assertTrue(midway, "the mid-way screenshot was taken while finding");

        // Leaving restores the current object's view: the click's mask and its candidates.
        clickseg.page().keyboard().press("Escape");
        assertThat(clickseg.viewer()).not().hasAttribute("data-everything", "shown");
        assertThat(clickseg.candidates()).hasCount(3);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
    }

    /**
     * Six shapes in six colours on a light ground, apart from each other: enough objects that the masks are
     * seen arriving one after another.
     */
    static byte[] sixShapesPng() throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(232, 232, 228));
        g.fillRect(0, 0, 640, 480);
        g.setColor(new Color(205, 45, 40));
        g.fillOval(50, 60, 140, 140);           // red disc, centre (120, 130)
        g.setColor(new Color(40, 95, 205));
        g.fillRect(250, 50, 150, 120);          // blue rectangle
        g.setColor(new Color(40, 160, 80));
        g.fillOval(450, 50, 150, 150);          // green disc
        g.setColor(new Color(235, 140, 30));
        g.fillRect(60, 290, 160, 130);          // orange rectangle
        g.setColor(new Color(130, 60, 170));
        g.fillOval(265, 275, 150, 150);         // purple disc
        g.setColor(new Color(30, 150, 160));
        g.fillRect(470, 280, 120, 150);         // teal rectangle
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    @Test
    void asking_again_for_the_same_picture_is_answered_from_the_server_s_cache_at_once() {
        clickseg.open();
        clickseg.chooseLollipop(); // another picture than the other story's, whose first job must really run
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        clickseg.everythingButton().click();
        assertThat(clickseg.viewer()).hasAttribute("data-everything", "shown", GENEROUS);
        String count = clickseg.viewer().getAttribute("data-everything-count");
        clickseg.page().keyboard().press("Escape");
        assertThat(clickseg.viewer()).not().hasAttribute("data-everything", "shown");

        clickseg.everythingButton().click();
        // the cached answer is drawn without a job: the view goes from finding to shown within the default bound
        assertThat(clickseg.viewer()).hasAttribute("data-everything", "shown");
        assertThat(clickseg.viewer()).hasAttribute("data-everything-count", count);
    }
}

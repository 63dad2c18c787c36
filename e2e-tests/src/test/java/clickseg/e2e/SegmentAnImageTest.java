package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person segments objects in a picture: upload, click, refine, undo, export — in Debian's
 * Chromium against a running server. One browser for the class, a fresh context per story.
 */
@ExtendWith(ScreenshotOnFailure.class)
class SegmentAnImageTest implements ScreenshotOnFailure.PageUnderTest {
    /** The mask comes from a 256-grid decoder upsampled to 640×480: its edge may move by about a
     *  low-res cell (2.5 px) around the shape, ±2.5 px on a radius of 90 is ±6 % of the area. */
    private static final double AREA_TOLERANCE = 0.08;
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]*");

    private static Playwright playwright;
    private static Browser browser;
    private static ClicksegServer server;

    private BrowserContext context;
    private ClicksegPage clickseg;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        server = ClicksegServer.start();
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void stopServerAndBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openFreshContext() {
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800).setAcceptDownloads(true));
        clickseg = new ClicksegPage(context.newPage(), server.baseUrl());
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Override
    public Page currentPage() {
        return clickseg == null ? null : clickseg.page();
    }

    private void uploadSyntheticImageUntilReady() {
        clickseg.open();
        clickseg.chooseSyntheticImage();
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
    }

    private void clickInsideTheDisc() {
        clickseg.clickImageAt(SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        assertThat(clickseg.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
        assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
    }

    private static void assertAreaNear(double expected, int actual) {
        assertTrue(Math.abs(actual - expected) <= AREA_TOLERANCE * expected,
                "mask area " + actual + " should be within " + (int) (AREA_TOLERANCE * 100) + "% of " + (int) expected);
    }

    @Test
    void uploading_an_image_walks_through_the_stages_in_words_to_ready() {
        clickseg.open();
        assertThat(clickseg.statusText()).hasText("Choose, drop or paste an image to start");
        clickseg.chooseSyntheticImage();
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        assertThat(clickseg.statusText()).hasText("Ready");
        assertThat(clickseg.decoderInfo()).containsText(Pattern.compile("WebAssembly GC · \\d workers?"));
        assertTrue(clickseg.page().url().contains("?image="), "the address names the image: " + clickseg.page().url());
    }

    @Test
    void the_status_line_names_each_stage_in_order_with_percentages() {
        uploadSyntheticImageUntilReady();
        String seen = String.join(" | ", clickseg.stagesSeen());
        Pattern inOrder = Pattern.compile(".*Uploading \\d+%.*Encoding….*Downloading embedding \\d+%.*"
                + "Downloading embedding 100%.*Preparing decoder….*Ready.*");
        assertTrue(inOrder.matcher(seen).matches(), "stages seen: " + seen);
    }

    @Test
    void clicking_inside_the_disc_masks_the_disc_and_offers_three_candidates() {
        uploadSyntheticImageUntilReady();
        clickInsideTheDisc();
        assertAreaNear(SyntheticImages.discArea(), clickseg.maskArea());
        assertThat(clickseg.candidates()).hasCount(3);
        assertThat(clickseg.chosenCandidate()).hasCount(1);
        assertThat(clickseg.candidates().first()).containsText("IoU 0.");
    }

    @Test
    void a_second_point_on_the_square_adds_it_and_undo_redo_restore_the_exact_masks() {
        uploadSyntheticImageUntilReady();
        clickInsideTheDisc();
        String discOnly = clickseg.exportCocoRle();

        clickseg.clickImageAt(SyntheticImages.SQUARE_LEFT + 90, SyntheticImages.SQUARE_TOP + 90);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "2");
        assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
        assertAreaNear(SyntheticImages.discArea() + SyntheticImages.squareArea(), clickseg.maskArea());
        assertThat(clickseg.candidates()).hasCount(0);
        String discAndSquare = clickseg.exportCocoRle();
        assertNotEquals(discOnly, discAndSquare);

        clickseg.undoWithKeyboard();
        assertThat(clickseg.viewer()).hasAttribute("data-points", "1");
        assertEquals(discOnly, clickseg.exportCocoRle());

        clickseg.redoWithKeyboard();
        assertThat(clickseg.viewer()).hasAttribute("data-points", "2");
        assertEquals(discAndSquare, clickseg.exportCocoRle());

        clickseg.undoButton().click();
        assertEquals(discOnly, clickseg.exportCocoRle());
    }

    @Test
    void a_right_click_on_the_square_removes_nothing_from_the_disc_and_escape_clears_everything() {
        uploadSyntheticImageUntilReady();
        clickInsideTheDisc();
        int discArea = clickseg.maskArea();
        clickseg.rightClickImageAt(SyntheticImages.SQUARE_LEFT + 90, SyntheticImages.SQUARE_TOP + 90);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "2");
        assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
        assertEquals(discArea, clickseg.maskArea());

        clickseg.clearWithKeyboard();
        assertThat(clickseg.viewer()).hasAttribute("data-points", "0");
        assertThat(clickseg.viewer()).hasAttribute("data-mask-area", "0");
        assertThat(clickseg.page().locator("#export-rle")).isDisabled();
    }

    @Test
    void dragging_a_box_around_the_square_masks_the_square() {
        uploadSyntheticImageUntilReady();
        clickseg.dragBoxOnImage(SyntheticImages.SQUARE_LEFT - 10, SyntheticImages.SQUARE_TOP - 10,
                SyntheticImages.SQUARE_LEFT + SyntheticImages.SQUARE_SIDE + 10,
                SyntheticImages.SQUARE_TOP + SyntheticImages.SQUARE_SIDE + 10);
        assertThat(clickseg.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
        assertAreaNear(SyntheticImages.squareArea(), clickseg.maskArea());
        String rle = clickseg.exportCocoRle();
        assertTrue(rle.contains("\"size\":[480,640]"), rle);
    }

    @Test
    void hovering_before_the_first_click_previews_the_mask_under_the_pointer() {
        uploadSyntheticImageUntilReady();
        clickseg.hoverImageAt(SyntheticImages.DISC_X + 10, SyntheticImages.DISC_Y - 10);
        assertThat(clickseg.viewer()).hasAttribute("data-hover-area", POSITIVE_NUMBER);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "0");
    }

    @Test
    void a_text_file_is_refused_in_words_and_the_page_still_segments_afterwards() {
        clickseg.open();
        clickseg.chooseImage("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(clickseg.errorBanner()).isVisible();
        assertThat(clickseg.errorBanner()).containsText("“notes.txt” is not an image");

        clickseg.chooseSyntheticImage();
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        assertThat(clickseg.errorBanner()).isHidden();
        clickInsideTheDisc();
    }

    @Test
    void a_file_claiming_to_be_an_image_is_refused_by_the_server_and_the_current_image_stays() {
        uploadSyntheticImageUntilReady();
        clickInsideTheDisc();
        int area = clickseg.maskArea();
        clickseg.chooseImage("fake.png", "image/png", "not really a png".getBytes(StandardCharsets.UTF_8));
        assertThat(clickseg.errorBanner()).containsText("not an image");
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        assertEquals(area, clickseg.maskArea());
        clickseg.clickImageAt(SyntheticImages.SQUARE_LEFT + 90, SyntheticImages.SQUARE_TOP + 90);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "2");
    }

    @Test
    void opening_the_address_of_an_uploaded_image_restores_it_ready_to_segment() {
        uploadSyntheticImageUntilReady();
        String address = clickseg.page().url();
        Page second = context.newPage();
        ClicksegPage reopened = new ClicksegPage(second, server.baseUrl());
        second.navigate(address);
        assertThat(reopened.status()).hasAttribute("data-stage", "ready");
        reopened.clickImageAt(SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        assertThat(reopened.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
    }

    @Test
    void the_javascript_build_gives_the_same_mask_where_webassembly_gc_is_not_used() {
        uploadSyntheticImageUntilReady();
        clickInsideTheDisc();
        String fromWasm = clickseg.exportCocoRle();

        clickseg.open("?runtime=js");
        assertThat(clickseg.app()).hasAttribute("data-runtime", "js");
        clickseg.chooseSyntheticImage();
        assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
        assertThat(clickseg.decoderInfo()).containsText("JavaScript");
        clickInsideTheDisc();
        String fromJs = clickseg.exportCocoRle();
        assertEquals(fromWasm.replaceAll("\"image_id\":\"[^\"]*\"", ""), fromJs.replaceAll("\"image_id\":\"[^\"]*\"", ""));
    }

    @Test
    void a_whole_session_leaves_no_errors_in_the_console() {
        uploadSyntheticImageUntilReady();
        clickseg.hoverImageAt(SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        clickInsideTheDisc();
        clickseg.rightClickImageAt(10, 10);
        assertThat(clickseg.viewer()).hasAttribute("data-points", "2");
        clickseg.undoWithKeyboard();
        clickseg.exportCocoRle();
        assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
        assertEquals(List.of(), clickseg.consoleErrors());
    }
}

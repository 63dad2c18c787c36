package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person shares a segmentation as a link, someone else opens it in a browser of their own,
 * and the author deletes it — in Debian's Chromium against the real server jar and model.
 *
 * <p>Tolerance, stated once: the viewer's mask is the author's stored RLE drawn as it is, so it
 * must match the author's export to IoU ≥ 0.999 (the only slack is for nothing at all: any
 * recomputation by the decoder would differ by whole 256-grid cells, far more than that).
 */
@ExtendWith(ScreenshotOnFailure.class)
class ShareASegmentationTest implements ScreenshotOnFailure.PageUnderTest {
    private static final double SAME_MASK_IOU = 0.999;
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]*");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final ServerAndBrowser stage = new ServerAndBrowser(60_000);

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<ClicksegPage> pages = new ArrayList<>();
    private final List<Pattern> expectedConsoleErrors = new ArrayList<>();
    private ClicksegPage current;

    /** A fresh browser context: its own cache, storage and cookies, as another person's browser. */
    private ClicksegPage newBrowser() {
        BrowserContext context = stage.chromium().newContext();
        contexts.add(context);
        current = new ClicksegPage(context.newPage(), stage.server().baseUrl());
        pages.add(current);
        return current;
    }

    @AfterEach
    void noUnexpectedConsoleErrorsThenClose() {
        try {
            List<String> unexpected = new ArrayList<>();
            for (ClicksegPage page : pages) {
                for (String error : page.consoleErrors()) {
                    if (expectedConsoleErrors.stream().noneMatch(p -> p.matcher(error).find())) {
                        unexpected.add(error);
                    }
                }
            }
            assertEquals(List.of(), unexpected, "console errors");
        } finally {
            contexts.forEach(BrowserContext::close);
        }
    }

    @Override
    public Page currentPage() {
        return current == null ? null : current.page();
    }

    /** The author: uploads the picture, clicks the disc, and shares that mask; returns the links and the mask. */
    private ClicksegPage.ShareLinks authorSharesTheDisc(String title, boolean[][] authorMask) {
        ClicksegPage author = newBrowser().open();
        author.chooseDiscAndRectangle();
        assertThat(author.status()).hasAttribute("data-stage", "ready");
        assertThat(author.shareButton()).isDisabled();
        author.clickImageAt(SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        assertThat(author.viewer()).hasAttribute("data-points", "1");
        assertThat(author.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
        assertThat(author.viewer()).not().hasAttribute("data-busy", "true");
        authorMask[0] = ExportedMasks.fromCocoJson(author.exportCocoRle());
        assertThat(author.shareButton()).isEnabled();
        return author.shareWithTitle(title);
    }

    @Test
    void the_link_shows_the_authors_mask_before_the_decoder_runs_and_after_and_the_viewer_keeps_clicking()
            throws Exception {
        boolean[][] authorMask = new boolean[1][];
        ClicksegPage.ShareLinks links = authorSharesTheDisc("Red disc", authorMask);
        String storedBefore = get("/api/shares/" + links.id()).body();

        ClicksegPage viewer = newBrowser();
        List<Route> heldEmbeddings = new CopyOnWriteArrayList<>();
        viewer.page().route(url -> url.contains("/embedding"), heldEmbeddings::add); // the decoder cannot start yet
        viewer.openAddress(links.url());
        assertThat(viewer.viewer()).hasAttribute("data-shared", "preview");
        assertThat(viewer.sharedTitle()).hasText("Red disc");
        viewer.page().waitForCondition(() -> !heldEmbeddings.isEmpty());
        assertTrue(!"ready".equals(viewer.status().getAttribute("data-stage")), "no decoder yet");
        assertIou(authorMask[0], ExportedMasks.fromCocoJson(viewer.exportCocoRle()), "before the decoder");

        heldEmbeddings.forEach(Route::resume);
        assertThat(viewer.status()).hasAttribute("data-stage", "ready");
        assertThat(viewer.viewer()).hasAttribute("data-shared", "adopted");
        assertThat(viewer.viewer()).hasAttribute("data-points", "1");
        // Nothing of the viewer's to undo or clear yet: the author's mask is where the history starts.
        assertThat(viewer.undoButton()).isDisabled();
        assertThat(viewer.page().locator("#clear")).isDisabled();
        assertIou(authorMask[0], ExportedMasks.fromCocoJson(viewer.exportCocoRle()), "after the decoder is ready");

        // The viewer goes on from the author's prompt: a click on the rectangle adds a second point.
        int rectX = SyntheticImages.RECT_LEFT + SyntheticImages.RECT_WIDTH / 2;
        int rectY = SyntheticImages.RECT_TOP + SyntheticImages.RECT_HEIGHT / 2;
        viewer.clickImageAt(rectX, rectY);
        assertThat(viewer.viewer()).hasAttribute("data-points", "2");
        assertThat(viewer.viewer()).not().hasAttribute("data-busy", "true");
        boolean[] continued = ExportedMasks.fromCocoJson(viewer.exportCocoRle());
        assertTrue(continued[rectY * SyntheticImages.WIDTH + rectX], "the viewer's click added the rectangle");
        viewer.undoWithKeyboard();
        assertThat(viewer.viewer()).hasAttribute("data-points", "1");
        assertIou(authorMask[0], ExportedMasks.fromCocoJson(viewer.exportCocoRle()), "undo back to the author's step");
        assertEquals(storedBefore, get("/api/shares/" + links.id()).body(), "the viewer never changes the share");
    }

    @Test
    void the_delete_page_and_the_embed_example_carry_their_icon_and_log_no_error() throws Exception {
        ClicksegPage.ShareLinks links = authorSharesTheDisc("", new boolean[1][]);
        ClicksegPage visitor = newBrowser();
        for (String address : List.of(links.deleteUrl(), stage.server().baseUrl() + "embed-example.html")) {
            visitor.page().navigate(address);
            visitor.page().waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            assertThat(visitor.page().locator("link[rel=icon]")).hasCount(1);
        }
        assertEquals(List.of(), visitor.consoleErrors(), "no request for a missing /favicon.ico");
    }

    @Test
    void the_secret_deletes_the_share_and_a_wrong_secret_changes_nothing() throws Exception {
        ClicksegPage.ShareLinks links = authorSharesTheDisc("", new boolean[1][]);
        String stored = get("/api/shares/" + links.id()).body();
        expectedConsoleErrors.add(Pattern.compile("status of 403")); // the refused DELETE, reported by Chromium
        expectedConsoleErrors.add(Pattern.compile("status of 404")); // the share page once it is gone

        ClicksegPage stranger = newBrowser();
        String wrong = links.deleteUrl().substring(0, links.deleteUrl().indexOf('#') + 1) + "A" + links.secret();
        stranger.page().navigate(wrong);
        stranger.page().locator("#share-delete").click();
        assertThat(stranger.page().locator("#share-delete-status")).hasAttribute("data-state", "forbidden");
        assertEquals(stored, get("/api/shares/" + links.id()).body(), "a wrong secret changes nothing");

        ClicksegPage author = newBrowser();
        author.page().navigate(links.deleteUrl());
        author.page().locator("#share-delete").click();
        assertThat(author.page().locator("#share-delete-status")).hasAttribute("data-state", "deleted");
        assertThat(author.page().locator("#share-delete-status")).containsText("gone");
        assertEquals(404, get("/api/shares/" + links.id()).statusCode());

        author.page().navigate(links.url());
        assertThat(author.page().locator("#share-gone")).hasText("This share is gone");
    }

    @Test
    void a_title_with_a_script_tag_is_shown_as_text_and_never_runs() throws Exception {
        String title = "<script>window.__sharedTitleRan = true</script><b>bold?</b>";
        ClicksegPage.ShareLinks links = authorSharesTheDisc(title, new boolean[1][]);
        ClicksegPage viewer = newBrowser().openAddress(links.url());
        assertThat(viewer.sharedTitle()).hasText(title);
        assertThat(viewer.page()).hasTitle(title + " — clickseg");
        assertEquals(0, viewer.page().locator("#shared-title b").count(), "no markup from the title");
        assertEquals(title, viewer.page().locator("meta[property='og:title']").getAttribute("content"));
        assertFalse(Boolean.TRUE.equals(viewer.page().evaluate("() => window.__sharedTitleRan === true")),
                "the title's script never ran");
        assertThat(viewer.viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
    }

    private static void assertIou(boolean[] expected, boolean[] actual, String when) {
        double iou = ExportedMasks.iou(expected, actual);
        assertTrue(iou >= SAME_MASK_IOU, when + ": IoU " + iou + " < " + SAME_MASK_IOU);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stage.server().baseUrl() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

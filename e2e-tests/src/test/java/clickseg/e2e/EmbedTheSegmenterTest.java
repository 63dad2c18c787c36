package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another website embeds the segmenter: a host page on a second origin (a second port, served by
 * {@link HostSite}) includes the real server's /embed.js and {@code <sam-segmenter image="ID">}, or
 * frames /embed/ID itself, and talks to it with postMessage. A third origin plays the intruder.
 * Debian's Chromium against the real server jar and model; one server, browser and pair of sites
 * for the class, a fresh context per story; no story may leave an error in the console of any frame.
 *
 * <p>The embed page is served here with a strict Content-Security-Policy added in the browser (no
 * inline script or style, nothing from other origins; see {@link #EMBED_CSP}), so the stories also show
 * it needs nothing more, whatever headers the server sends itself; the host pages have their own.
 *
 * <p>Tolerances as in {@link SegmentAnImageTest}: a mask edge may sit one 256-grid cell (2.5 px) off
 * the drawn edge, hence IoU ≥ 0.95 for the disc (radius 90) and ≥ 0.90 for the square, whose
 * corners the model rounds.
 */
@ExtendWith(ScreenshotOnFailure.class)
class EmbedTheSegmenterTest implements ScreenshotOnFailure.PageUnderTest {
    private static final double DISC_IOU = 0.95;
    private static final double SQUARE_IOU = 0.90;
    /**
     * No inline script or style, nothing from elsewhere, no eval: the page runs TeaVM's JavaScript build; its
     * decoder workers run under their own script's policy (the server's, which lets them load the WebAssembly
     * GC build).
     */
    private static final String EMBED_CSP = "default-src 'self'; script-src 'self'; "
            + "worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            + "object-src 'none'; base-uri 'none'";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{64})\"");

    private static Playwright playwright;
    private static Browser browser;
    private static ClicksegServer server;
    private static String serverOrigin;
    private static String imageId;
    private static HostSite host;
    private static HostSite intruder;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new ArrayList<>();
    /** Console errors a story provokes on purpose (Chromium logs every 4xx answer to a fetch as one). */
    private final List<String> expectedErrors = new ArrayList<>();

    @BeforeAll
    static void startServerSitesAndBrowser() throws Exception {
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        server = ClicksegServer.start();
        serverOrigin = server.baseUrl().replaceAll("/$", "");
        imageId = upload(SyntheticImages.discAndRectanglePng());
        host = new HostSite(serverOrigin);
        intruder = new HostSite(serverOrigin);
        writeHostPages();
        writeIntruderPages();
        playwright = Playwright.create();
        browser = HeadlessChromium.launch(playwright);
    }

    /** The pages of the site that embeds the segmenter; hostEvents collects what it hears, in order. */
    private static void writeHostPages() {
        host.put("/element.html", page("A shop embedding the segmenter",
                "<script src=\"" + serverOrigin + "/embed.js\"></script>\n<script src=\"/element.js\" defer></script>",
                "<sam-segmenter id=\"segmenter\" image=\"" + imageId + "\" width=\"800\" height=\"600\"></sam-segmenter>\n"
                        + "<iframe id=\"foreign-sibling\" src=\"" + intruder.origin() + "/blank.html\" width=\"40\" height=\"40\"></iframe>\n"
                        + "<iframe id=\"same-origin-sibling\" src=\"/blank.html\" width=\"40\" height=\"40\"></iframe>"));
        host.put("/element.js", ""
                + "window.hostEvents = [];\n"
                + "var segmenter = document.getElementById('segmenter');\n"
                + "window.hostObjects = [];\n"
                + "['ready', 'mask', 'error'].forEach(function (name) {\n"
                + "  segmenter.addEventListener('clickseg-' + name, function (event) {\n"
                + "    window.hostEvents.push({name: name, detail: event.detail});\n"
                + "  });\n"
                + "});\n"
                + "segmenter.addEventListener('clickseg-objects', function (event) {\n"
                + "  window.hostObjects.push(event.detail.objects);\n"
                + "});\n");
        host.put("/iframe.html", page("A blog framing the segmenter", "<script src=\"/iframe.js\" defer></script>",
                "<iframe id=\"frame\" width=\"800\" height=\"600\" src=\"" + serverOrigin + "/embed/" + imageId
                        + "?parent=" + host.origin() + "\"></iframe>"));
        host.put("/iframe.js", ""
                + "window.hostEvents = [];\n"
                + "var frame = document.getElementById('frame');\n"
                + "window.addEventListener('message', function (event) {\n"
                + "  if (event.origin !== '" + serverOrigin + "' || event.source !== frame.contentWindow) { return; }\n"
                + "  if (event.data.type === 'clickseg:objects') { return; }\n"
                + "  window.hostEvents.push({name: event.data.type.replace('clickseg:', ''), detail: event.data});\n"
                + "});\n"
                + "window.send = function (message) { frame.contentWindow.postMessage(message, '" + serverOrigin + "'); };\n");
        host.put("/blank.html", page("nothing", "", ""));
        host.put("/remote.html", page("A page embedding a web image",
                "<script src=\"" + serverOrigin + "/embed.js\"></script>\n<script src=\"/element.js\" defer></script>",
                "<sam-segmenter id=\"segmenter\" image=\"" + host.origin() + "/photo.png\"></sam-segmenter>"));
    }

    /** A third site that frames the embed itself and claims to be the host (parent=HOST). */
    private static void writeIntruderPages() {
        intruder.put("/blank.html", page("nothing", "", ""));
        intruder.put("/framer.html", page("An intruder", "<script src=\"/framer.js\" defer></script>",
                "<iframe id=\"frame\" width=\"800\" height=\"600\" src=\"" + serverOrigin + "/embed/" + imageId
                        + "?parent=" + host.origin() + "\"></iframe>"));
        intruder.put("/framer.js", ""
                + "window.received = [];\n"
                + "window.addEventListener('message', function (event) { window.received.push(event.data); });\n");
    }

    private static String page(String title, String head, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title + "</title>\n"
                + head + "\n</head>\n<body>\n<h1>" + title + "</h1>\n" + body + "\n</body>\n</html>\n";
    }

    private static String upload(byte[] png) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(serverOrigin + "/api/images")).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        Matcher id = ID.matcher(answer.body());
        assertTrue(id.find(), answer.body());
        return id.group(1);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (host != null) {
            host.close();
        }
        if (intruder != null) {
            intruder.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openFreshContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(60_000);
        // The embed page under a strict CSP, added to whatever the server sends.
        context.route(url -> url.startsWith(serverOrigin + "/embed/") || url.startsWith(serverOrigin + "/embed?"), route -> {
            APIResponse response = route.fetch();
            Map<String, String> headers = new HashMap<>(response.headers());
            headers.put("content-security-policy", headers.containsKey("content-security-policy")
                    ? headers.get("content-security-policy") + ", " + EMBED_CSP : EMBED_CSP);
            route.fulfill(new Route.FulfillOptions().setResponse(response).setHeaders(headers));
        });
        page = context.newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text() + " (" + message.location() + ")");
            }
        });
        page.onPageError(error -> consoleErrors.add("page error: " + error));
    }

    @AfterEach
    void noConsoleErrorsThenClose() {
        try {
            List<String> unexpected = new ArrayList<>(consoleErrors);
            unexpected.removeIf(error -> expectedErrors.stream().anyMatch(error::contains));
            assertEquals(List.of(), unexpected, "console errors");
        } finally {
            context.close();
        }
    }

    @Override
    public Page currentPage() {
        return page;
    }

    // ---- stories ----

    @Test
    void a_click_inside_the_embedded_segmenter_tells_the_host_page_ready_then_the_discs_mask() {
        page.navigate(host.origin() + "/element.html");
        Map<String, Object> ready = awaitEvent("ready", 1);
        assertEquals(imageId, ready.get("imageId"));
        assertEquals(SyntheticImages.WIDTH, number(ready, "width"));
        assertEquals(SyntheticImages.HEIGHT, number(ready, "height"));

        clickImageAt(embedFrame("#segmenter iframe"), SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        Map<String, Object> mask = awaitEvent("mask", 1);
        assertEquals(List.of("ready", "mask"), eventNames(), "ready comes first, then one mask per change");
        boolean[] decoded = assertConsistentMask(mask);
        assertIouAtLeast(DISC_IOU, SyntheticImages.disc(), decoded, "the mask the host received");
        double iou = ((Number) mask.get("iou")).doubleValue();
        assertTrue(iou > 0.5 && iou <= 1.2, "a predicted IoU: " + iou);
    }

    @Test
    void the_host_sets_prompts_and_undoes_and_clears_through_the_element() {
        page.navigate(host.origin() + "/element.html");
        // Given as the page loads, most likely before ready: the element keeps it until the segmenter can take it.
        setPrompts(List.of(List.of(480, 240)), List.of(1));
        awaitEvent("ready", 1);
        Map<String, Object> square = awaitEvent("mask", 1);
        assertIouAtLeast(SQUARE_IOU, SyntheticImages.rectangle(), assertConsistentMask(square), "the square");

        setPrompts(List.of(List.of(SyntheticImages.DISC_X, SyntheticImages.DISC_Y)), List.of(1));
        Map<String, Object> disc = awaitEvent("mask", 2);
        assertIouAtLeast(DISC_IOU, SyntheticImages.disc(), assertConsistentMask(disc), "the disc");
        assertThat(embedFrame("#segmenter iframe").locator("#viewer")).hasAttribute("data-points", "1");

        page.evaluate("() => document.getElementById('segmenter').undo()");
        Map<String, Object> undone = awaitEvent("mask", 3);
        assertEquals(square.get("rle"), undone.get("rle"), "undo brings back the square's mask exactly");

        page.evaluate("() => document.getElementById('segmenter').clear()");
        Map<String, Object> cleared = awaitEvent("mask", 4);
        assertEquals(0, number(cleared, "area"));
        boolean[] empty = assertConsistentMask(cleared);
        for (boolean inside : empty) {
            assertTrue(!inside, "a cleared mask is empty");
        }
        assertThat(embedFrame("#segmenter iframe").locator("#viewer")).hasAttribute("data-points", "0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_element_tells_each_objects_id_and_label_keeps_the_objects_readable_and_redoes() {
        List<String> warnings = new ArrayList<>();
        page.onConsoleMessage(message -> {
            if ("warning".equals(message.type())) {
                warnings.add(message.text());
            }
        });
        page.navigate(host.origin() + "/element.html");
        // A page written for the old event names still hears them, and is told they are going.
        page.evaluate("() => { window.oldMasks = 0; document.getElementById('segmenter')"
                + ".addEventListener('mask', () => { window.oldMasks++; }); }");
        awaitEvent("ready", 1);
        setPrompts(List.of(List.of(480, 240)), List.of(1));
        Map<String, Object> square = awaitEvent("mask", 1);
        assertEquals(1, number(square, "objectId"));
        assertEquals("", square.get("label"));

        embedFrame("#segmenter iframe").locator("#canvas").press("n"); // a new object, from the keyboard
        Map<String, Object> fresh = awaitEvent("mask", 2);
        assertEquals(2, number(fresh, "objectId"), "the new object is the current one");
        assertEquals(0, number(fresh, "area"), "and has no mask yet");
        setPrompts(List.of(List.of(SyntheticImages.DISC_X, SyntheticImages.DISC_Y)), List.of(1));
        Map<String, Object> disc = awaitEvent("mask", 3);
        assertEquals(2, number(disc, "objectId"));
        page.waitForFunction("() => document.getElementById('segmenter').objects.length === 2");
        List<Map<String, Object>> objects = (List<Map<String, Object>>) page.evaluate(
                "() => document.getElementById('segmenter').objects");
        assertEquals(List.of(1, 2), objects.stream().map(o -> ((Number) o.get("id")).intValue()).toList());
        assertEquals(square.get("rle"), objects.get(0).get("rle"), "the first object kept its mask");
        assertEquals(disc.get("rle"), objects.get(1).get("rle"));

        page.evaluate("() => document.getElementById('segmenter').undo()");
        assertEquals(0, number(awaitEvent("mask", 4), "area"), "undo took the new object's prompt back");
        page.evaluate("() => document.getElementById('segmenter').redo()");
        Map<String, Object> redone = awaitEvent("mask", 5);
        assertEquals(disc.get("rle"), redone.get("rle"), "redo brings the disc back exactly");
        assertEquals(2, number(redone, "objectId"));

        assertEquals(5, ((Number) page.evaluate("() => window.oldMasks")).intValue(), "the old name is still sent");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("\"mask\" event is deprecated")), warnings.toString());
        Object bubbles = page.evaluate("() => new Promise(resolve => { document.body.addEventListener('clickseg-mask',"
                + " event => resolve(event.bubbles && event.composed), {once: true});"
                + " document.getElementById('segmenter').clear(); })");
        assertEquals(Boolean.TRUE, bubbles, "the new events bubble out of the element and its shadow roots");
    }

    @Test
    void a_bad_command_from_the_host_is_answered_with_an_error_event_and_changes_nothing() {
        page.navigate(host.origin() + "/element.html");
        awaitEvent("ready", 1);
        setPrompts(List.of(List.of(5000, 10)), List.of(1));
        Map<String, Object> error = awaitEvent("error", 1);
        assertTrue(String.valueOf(error.get("message")).contains("not inside the 640 × 480 image"), error.toString());
        setPrompts(List.of(List.of(10, 10)), List.of(7));
        assertTrue(String.valueOf(awaitEvent("error", 2).get("message")).contains("labels[0]: must be 1 (foreground) or 0 (background), got 7"));
        assertThat(embedFrame("#segmenter iframe").locator("#viewer")).hasAttribute("data-points", "0");
        assertEquals(List.of("ready", "error", "error"), eventNames());
    }

    @Test
    void messages_from_a_sibling_frame_of_another_origin_or_of_the_hosts_own_origin_are_ignored() {
        page.navigate(host.origin() + "/element.html");
        awaitEvent("ready", 1);
        Frame embed = frameAt(serverOrigin + "/embed/");
        String discPrompt = "{type: 'clickseg:setPrompts', points: [[" + SyntheticImages.DISC_X + ", "
                + SyntheticImages.DISC_Y + "]], labels: [1]}";
        // frames[0] is the segmenter's iframe: the first frame of the host page.
        frameAt(intruder.origin() + "/blank.html").evaluate("() => parent.frames[0].postMessage(" + discPrompt + ", '*')");
        frameAt(host.origin() + "/blank.html").evaluate("() => parent.frames[0].postMessage(" + discPrompt + ", '*')");
        frameAt(intruder.origin() + "/blank.html").evaluate("() => parent.frames[0].postMessage({type: 'clickseg:clear'}, '*')");
        settlePostedMessages(embed);
        assertThat(embedFrame("#segmenter iframe").locator("#viewer")).hasAttribute("data-points", "0");

        // The very same command from the host page itself is obeyed: it is where it came from that counted.
        setPrompts(List.of(List.of(SyntheticImages.DISC_X, SyntheticImages.DISC_Y)), List.of(1));
        Map<String, Object> mask = awaitEvent("mask", 1);
        assertIouAtLeast(DISC_IOU, SyntheticImages.disc(), assertConsistentMask(mask), "the host's own command");
        assertEquals(List.of("ready", "mask"), eventNames(), "nothing came of the forged messages");
    }

    @Test
    void a_third_site_framing_the_embed_while_claiming_to_be_the_host_is_neither_obeyed_nor_told_anything() {
        page.navigate(intruder.origin() + "/framer.html");
        FrameLocator frame = page.frameLocator("#frame");
        assertThat(frame.locator("#status")).hasAttribute("data-stage", "ready");
        Frame embed = frameAt(serverOrigin + "/embed/");
        page.evaluate("() => document.getElementById('frame').contentWindow.postMessage({type: 'clickseg:setPrompts',"
                + " points: [[200, 240]], labels: [1]}, '" + serverOrigin + "')");
        settlePostedMessages(embed);
        assertThat(frame.locator("#viewer")).hasAttribute("data-points", "0");

        // A person clicking in it still gets a mask; the framing page hears nothing of it.
        clickImageAt(frame, SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        assertThat(frame.locator("#viewer")).hasAttribute("data-points", "1");
        assertThat(frame.locator("#viewer")).hasAttribute("data-mask-area", Pattern.compile("[1-9][0-9]*"));
        assertEquals(0, ((Number) page.evaluate("() => window.received.length")).intValue(),
                "no message reached the page that framed the embed");
    }

    @Test
    void a_plain_iframe_with_a_parent_parameter_speaks_the_same_protocol() {
        page.navigate(host.origin() + "/iframe.html");
        awaitEvent("ready", 1);
        FrameLocator frame = page.frameLocator("#frame");
        clickImageAt(frame, SyntheticImages.DISC_X, SyntheticImages.DISC_Y);
        Map<String, Object> mask = awaitEvent("mask", 1);
        assertIouAtLeast(DISC_IOU, SyntheticImages.disc(), assertConsistentMask(mask), "the clicked disc");

        page.evaluate("() => window.send({type: 'clickseg:undo'})");
        assertEquals(0, number(awaitEvent("mask", 2), "area"), "undoing the only click leaves no mask");
        assertThat(frame.locator("#viewer")).hasAttribute("data-points", "0");
        // The embed layout: canvas, include/exclude, undo, clear and the status line; no upload or export.
        assertThat(frame.locator("#mode-negative")).isVisible();
        assertThat(frame.locator("#undo")).isVisible();
        assertThat(frame.locator("#clear")).isVisible();
        assertThat(frame.locator("#status-text")).isVisible();
        assertThat(frame.locator("#open-button")).isHidden();
        assertThat(frame.locator("#export-rle")).isHidden();
    }

    @Test
    void an_image_url_the_server_will_not_fetch_is_reported_in_words() throws Exception {
        HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(serverOrigin + "/api/images/fetch")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + host.origin() + "/photo.png\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Assumptions.assumeTrue(probe.statusCode() != 404,
                "POST /api/images/fetch is not on this server build (it comes with remote image fetching)");
        assertEquals(403, probe.statusCode(), "remote images are off by default: " + probe.body());

        expectedErrors.add("status of 403 (Forbidden) (" + serverOrigin + "/api/images/fetch");
        page.navigate(host.origin() + "/remote.html");
        Map<String, Object> error = awaitEvent("error", 1);
        assertTrue(String.valueOf(error.get("message")).contains("remote images are disabled"), error.toString());
        assertThat(embedFrame("#segmenter iframe").locator("#error-text")).containsText("does not fetch images");
    }

    /**
     * The README's four snippets (custom element: page and script; iframe: page and script) with the
     * placeholders filled in for this server, image and host, served as a host site would serve them.
     */
    @Test
    void the_readme_snippets_work_as_written() {
        List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.of("Embedding");
        assertEquals(List.of("html", "js", "html", "js"), snippets.stream().map(ReadmeSnippets.Snippet::language).toList());
        host.put("/readme-element.html", page("README: custom element", "", filledIn(snippets.get(0).code())));
        host.put("/your-page.js", filledIn(snippets.get(1).code()));
        host.put("/readme-iframe.html", page("README: iframe", "",
                filledIn(snippets.get(2).code()).replace("/your-page.js", "/your-iframe-page.js")));
        host.put("/your-iframe-page.js", filledIn(snippets.get(3).code()));

        List<String> logged = new ArrayList<>();
        page.onConsoleMessage(message -> logged.add(message.text()));
        for (String address : List.of("/readme-element.html", "/readme-iframe.html")) {
            page.waitForConsoleMessage(new Page.WaitForConsoleMessageOptions()
                    .setPredicate(message -> message.text().startsWith("mask ")), () -> page.navigate(host.origin() + address));
            if (address.contains("element")) {
                assertTrue(logged.contains("ready " + imageId + " 640 480"), address + " logged " + logged);
            }
            assertThat(embedFrame("#segmenter" + (address.contains("element") ? " iframe" : ""))
                    .locator("#viewer")).hasAttribute("data-points", "1");
        }
    }

    @Test
    void the_example_page_shows_both_forms_and_logs_what_each_sends() {
        page.navigate(serverOrigin + "/embed-example.html?image=" + imageId);
        Locator log = page.locator("#event-log li");
        assertThat(page.locator("#element-point")).isEnabled();
        assertThat(page.locator("#iframe-point")).isEnabled();
        page.locator("#element-point").click();
        assertThat(log.filter(new Locator.FilterOptions().setHasText(Pattern.compile("element\\s+mask\\s+area [1-9]")))).hasCount(1);
        page.locator("#iframe-point").click();
        assertThat(log.filter(new Locator.FilterOptions().setHasText(Pattern.compile("iframe\\s+mask\\s+area [1-9]")))).hasCount(1);
        page.locator("#iframe-undo").click();
        assertThat(log.filter(new Locator.FilterOptions().setHasText(Pattern.compile("iframe\\s+mask\\s+area 0 px")))).hasCount(1);
        assertThat(page.locator("#snippet-element")).containsText(serverOrigin + "/embed.js");
        assertThat(page.locator("#snippet-iframe")).containsText(serverOrigin + "/embed/" + imageId);
    }

    private static String filledIn(String snippet) {
        return snippet.replace("https://clickseg.example.com", serverOrigin)
                .replace("IMAGE_ID", imageId)
                .replace("https%3A%2F%2Fyour-site.example", java.net.URLEncoder.encode(host.origin(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---- the host page's view ----

    private void setPrompts(List<List<Integer>> points, List<Integer> labels) {
        page.evaluate("([points, labels]) => document.getElementById('segmenter').setPrompts({points, labels})",
                List.of(points, labels));
    }

    /** The n-th event of that name the host page received (1-based), waiting for it to arrive. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitEvent(String name, int n) {
        page.waitForFunction("([name, n]) => window.hostEvents && window.hostEvents.filter(e => e.name === name).length >= n",
                List.of(name, n));
        return (Map<String, Object>) page.evaluate(
                "([name, n]) => window.hostEvents.filter(e => e.name === name)[n - 1].detail", List.of(name, n));
    }

    @SuppressWarnings("unchecked")
    private List<String> eventNames() {
        return (List<String>) page.evaluate("() => window.hostEvents.map(e => e.name)");
    }

    /** The mask an event carries, decoded from its RLE, after checking its size, area and box agree with it. */
    @SuppressWarnings("unchecked")
    private static boolean[] assertConsistentMask(Map<String, Object> event) {
        Map<String, Object> rle = (Map<String, Object>) event.get("rle");
        List<Number> size = (List<Number>) rle.get("size");
        assertEquals(List.of(SyntheticImages.HEIGHT, SyntheticImages.WIDTH), List.of(size.get(0).intValue(),
                size.get(1).intValue()), "size is [height, width]");
        boolean[] mask = ExportedMasks.fromRle(SyntheticImages.HEIGHT, SyntheticImages.WIDTH, (String) rle.get("counts"));
        int area = 0;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < SyntheticImages.HEIGHT; y++) {
            for (int x = 0; x < SyntheticImages.WIDTH; x++) {
                if (mask[y * SyntheticImages.WIDTH + x]) {
                    area++;
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertEquals(area, number(event, "area"), "area is the RLE's pixel count");
        List<Integer> bbox = new ArrayList<>();
        for (Object v : (List<Object>) event.get("bbox")) {
            bbox.add(((Number) v).intValue());
        }
        assertEquals(area == 0 ? List.of(0, 0, 0, 0) : List.of(minX, minY, maxX - minX + 1, maxY - minY + 1), bbox,
                "bbox is [x, y, width, height] of the RLE's pixels");
        return mask;
    }

    private static int number(Map<String, Object> event, String key) {
        return ((Number) event.get(key)).intValue();
    }

    private static void assertIouAtLeast(double minimum, boolean[] truth, boolean[] mask, String what) {
        double iou = ExportedMasks.iou(truth, mask);
        assertTrue(iou >= minimum, what + ": IoU " + iou + " < " + minimum);
    }

    // ---- inside the embed ----

    private FrameLocator embedFrame(String selector) {
        return page.frameLocator(selector);
    }

    private Frame frameAt(String urlPrefix) {
        for (Frame frame : page.frames()) {
            if (frame.url().startsWith(urlPrefix)) {
                return frame;
            }
        }
        throw new AssertionError("no frame at " + urlPrefix + " among " + page.frames().stream().map(Frame::url).toList());
    }

    /**
     * Returns once the embed has handled every message posted to it so far: posted messages are one
     * task source, handled in order, so when a message the embed posts to itself arrives, the earlier
     * ones have been dealt with (obeyed or ignored).
     */
    private static void settlePostedMessages(Frame embed) {
        embed.evaluate("() => new Promise(resolve => {"
                + " const probe = 'settle-' + Math.random();"
                + " window.addEventListener('message', function listener(event) {"
                + "   if (event.data === probe) { window.removeEventListener('message', listener); resolve(); } });"
                + " window.postMessage(probe, '*'); })");
    }

    /** Clicks the image at (x, y) in image pixels, placed with the view transform the embed's canvas publishes. */
    private void clickImageAt(FrameLocator frame, double x, double y) {
        Locator canvas = frame.locator("#canvas");
        assertThat(canvas).hasAttribute("data-scale", Pattern.compile("[0-9.]+"));
        var box = canvas.boundingBox();
        double screenX = box.x + Double.parseDouble(canvas.getAttribute("data-offset-x"))
                + x * Double.parseDouble(canvas.getAttribute("data-scale"));
        double screenY = box.y + Double.parseDouble(canvas.getAttribute("data-offset-y"))
                + y * Double.parseDouble(canvas.getAttribute("data-scale"));
        page.mouse().click(screenX, screenY);
    }
}

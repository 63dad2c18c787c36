package clickseg.e2e;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.MouseButton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The clickseg page as a person uses it: named parts of the screen and the actions one takes.
 * Image coordinates are turned into screen positions with the view transform the canvas
 * publishes (data-scale, data-offset-x, data-offset-y).
 */
final class ClicksegPage {
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]*");

    private final Page page;
    private final String baseUrl;
    private final List<String> consoleErrors = new ArrayList<>();

    ClicksegPage(Page page, String baseUrl) {
        this.page = page;
        this.baseUrl = baseUrl;
        // Every text the status line shows, however briefly, in order (a local server is fast).
        page.addInitScript("window.__stagesSeen = [];"
                + "document.addEventListener('DOMContentLoaded', function () {"
                + "  var text = document.getElementById('status-text');"
                + "  if (!text) { return; }" // a page of the server that is not the app (a share's delete page)
                + "  new MutationObserver(function () { window.__stagesSeen.push(text.textContent); })"
                + "    .observe(text, {childList: true, characterData: true, subtree: true});"
                + "});");
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add("page error: " + error));
    }

    Page page() {
        return page;
    }

    ClicksegPage open() {
        return open("");
    }

    /** Opens the page with a query such as "?image=img1" or "?runtime=js". */
    ClicksegPage open(String query) {
        page.navigate(baseUrl + query);
        // The Java page names its runtime once every control is wired; a file chosen before that
        // would go unnoticed (the WebAssembly module loads after the "load" event).
        assertThat(app())
                .hasAttribute("data-runtime", java.util.regex.Pattern.compile("wasm|js"));
        return this;
    }

    /** Opens an absolute address of the server that serves the app's page, e.g. a share link /s/{id}. */
    ClicksegPage openAddress(String url) {
        page.navigate(url);
        assertThat(app())
                .hasAttribute("data-runtime", java.util.regex.Pattern.compile("wasm|js"));
        return this;
    }

    // ---- parts of the screen ----

    Locator status() {
        return page.locator("#status");
    }

    Locator statusText() {
        return page.locator("#status-text");
    }

    Locator errorBanner() {
        return page.locator("#error");
    }

    Locator viewer() {
        return page.locator("#viewer");
    }

    Locator canvas() {
        return page.locator("#canvas");
    }

    Locator candidates() {
        return page.locator("#candidates .chip");
    }

    Locator chosenCandidate() {
        return page.locator("#candidates .chip[aria-pressed=true]");
    }

    Locator undoButton() {
        return page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Undo"));
    }

    Locator redoButton() {
        return page.locator("#redo");
    }

    Locator excludeToggle() {
        return page.locator("#mode-negative");
    }

    Locator decoderInfo() {
        return page.locator("#info-decoder");
    }

    /** The status bar's "Decoded in N ms" of the last decode. */
    Locator decodeTiming() {
        return page.locator("#info-timing");
    }

    Locator everythingButton() {
        return page.locator("#everything");
    }

    Locator app() {
        return page.locator("#app");
    }

    Locator shareButton() {
        return page.locator("#share");
    }

    Locator shareDialog() {
        return page.locator("#share-dialog");
    }

    /** The title a share's author gave it, shown in the toolbar of the share's page. */
    Locator sharedTitle() {
        return page.locator("#shared-title");
    }

    /** The links the Share dialog hands out. */
    record ShareLinks(String id, String url, String deleteUrl) {
        String secret() {
            return deleteUrl.substring(deleteUrl.indexOf('#') + 1);
        }
    }

    // ---- actions ----

    void chooseImage(String name, String mimeType, byte[] bytes) {
        page.locator("#file-input").setInputFiles(new FilePayload(name, mimeType, bytes));
    }

    void chooseDiscAndRectangle() {
        chooseImage("disc-and-rectangle.png", "image/png", SyntheticImages.discAndRectanglePng());
    }

    void chooseLollipop() {
        chooseImage("lollipop.png", "image/png", SyntheticImages.lollipopPng());
    }

    /** Drops a file on the image area, as a person dragging it from their desktop. */
    void dropFile(String name, String mimeType, String content) {
        JSHandle transfer = page.evaluateHandle("([name, type, content]) => {"
                + " const transfer = new DataTransfer();"
                + " transfer.items.add(new File([content], name, {type}));"
                + " return transfer; }", List.of(name, mimeType, content));
        viewer().dispatchEvent("dragover", Map.of("dataTransfer", transfer));
        viewer().dispatchEvent("drop", Map.of("dataTransfer", transfer));
    }

    void clickImageAt(double x, double y) {
        clickImageAt(x, y, MouseButton.LEFT);
    }

    /** Clicks the image and waits until the mask of that click is on screen: pointsAfter points, not busy. */
    void clickAndWaitForMask(double x, double y, int pointsAfter) {
        clickImageAt(x, y);
        waitForMask(pointsAfter);
    }

    /** Waits until the viewer shows a mask for a prompt of {@code points} points and is no longer decoding. */
    void waitForMask(int points) {
        assertThat(viewer()).hasAttribute("data-points", String.valueOf(points));
        assertThat(viewer()).hasAttribute("data-mask-area", POSITIVE_NUMBER);
        assertThat(viewer()).not().hasAttribute("data-busy", "true");
    }

    /** The objects panel's rows, one per object, in list order. */
    Locator objectRows() {
        return page.locator("#object-list .object-row");
    }

    /** Types a label into the index-th object's field, presses Enter and waits until the row carries it. */
    void labelObject(int index, String text) {
        Locator field = objectRows().nth(index).locator(".object-label");
        field.fill(text);
        field.press("Enter");
        assertThat(objectRows().nth(index)).hasAttribute("data-label", text);
    }

    void rightClickImageAt(double x, double y) {
        clickImageAt(x, y, MouseButton.RIGHT);
    }

    void hoverImageAt(double x, double y) {
        page.mouse().move(screenX(x), screenY(y), new com.microsoft.playwright.Mouse.MoveOptions().setSteps(3));
    }

    void dragBoxOnImage(double x0, double y0, double x1, double y1) {
        page.mouse().move(screenX(x0), screenY(y0));
        page.mouse().down();
        page.mouse().move(screenX(x1), screenY(y1), new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
        page.mouse().up();
    }

    void undoWithKeyboard() {
        page.keyboard().press("Control+z");
    }

    void redoWithKeyboard() {
        page.keyboard().press("Control+Shift+z");
    }

    void clearWithKeyboard() {
        page.keyboard().press("Escape");
    }

    /** Exports the mask as COCO RLE and returns the downloaded JSON text. */
    String exportCocoRle() {
        return new String(export("#export-rle"), java.nio.charset.StandardCharsets.UTF_8);
    }

    byte[] exportMaskPng() {
        return export("#export-mask");
    }

    byte[] exportCutoutPng() {
        return export("#export-cutout");
    }

    String exportSvg() {
        return new String(export("#export-svg"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] export(String button) {
        Download download = page.waitForDownload(() -> page.locator(button).click());
        try {
            return Files.readAllBytes(download.path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shares the mask on screen through the Share dialog (title may be empty) and reads the links it shows. */
    ShareLinks shareWithTitle(String title) {
        shareButton().click();
        assertThat(shareDialog()).isVisible();
        page.locator("#share-title").fill(title);
        page.locator("#share-create").click();
        Locator url = page.locator("#share-url");
        assertThat(url)
                .hasValue(java.util.regex.Pattern.compile("/s/[A-Za-z0-9_-]{22}$"));
        String shareUrl = url.inputValue();
        String deleteUrl = page.locator("#share-delete-url").inputValue();
        page.locator("#share-close").click();
        return new ShareLinks(shareUrl.substring(shareUrl.lastIndexOf('/') + 1), shareUrl, deleteUrl);
    }

    int maskArea() {
        return Integer.parseInt(viewer().getAttribute("data-mask-area"));
    }

    /** The status texts shown since the page opened, in order. */
    @SuppressWarnings("unchecked")
    List<String> stagesSeen() {
        return (List<String>) page.evaluate("() => window.__stagesSeen");
    }

    List<String> consoleErrors() {
        return consoleErrors;
    }

    private void clickImageAt(double x, double y, MouseButton button) {
        page.mouse().click(screenX(x), screenY(y), new com.microsoft.playwright.Mouse.ClickOptions().setButton(button));
    }

    private double screenX(double imageX) {
        double left = canvas().boundingBox().x;
        return left + Double.parseDouble(canvas().getAttribute("data-offset-x"))
                + imageX * Double.parseDouble(canvas().getAttribute("data-scale"));
    }

    private double screenY(double imageY) {
        double top = canvas().boundingBox().y;
        return top + Double.parseDouble(canvas().getAttribute("data-offset-y"))
                + imageY * Double.parseDouble(canvas().getAttribute("data-scale"));
    }
}

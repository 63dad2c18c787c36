package clickseg.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * On demand only: the page in use on a real GrabCut photo, one click at the interior point
 * farthest from the ground-truth boundary (the usual first click of the RITM/SAM protocol), a
 * screenshot for people to look at, and that click's IoU against the ground truth (unknown band
 * left out). The photos are read from ../shared/datasets, never copied into the project:
 *
 * <pre>mvn -B -pl e2e-tests -am verify -Dtest=ProductScreenshotTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dclickseg.e2e.grabcut=sheep   # writes e2e-tests/target/e2e-screenshots/product-sheep.png</pre>
 */
@EnabledIfSystemProperty(named = "clickseg.e2e.grabcut", matches = ".+")
class ProductScreenshotTest {
    private static final Path GRABCUT = Paths.get(System.getProperty("clickseg.e2e.datasets", "../../shared/datasets"))
            .resolve("GrabCut");

    @Test
    void one_click_on_a_real_photo_masks_its_object() throws Exception {
        String stem = System.getProperty("clickseg.e2e.grabcut");
        Path image = findImage(stem);
        BufferedImage truth = ImageIO.read(GRABCUT.resolve("masks").resolve(stem + ".bmp").toFile());
        int width = truth.getWidth();
        int height = truth.getHeight();
        int[] click = farthestFromBoundary(truth);
        PlaywrightAssertions.setDefaultAssertionTimeout(120_000);
        try (ClicksegServer server = ClicksegServer.start(); Playwright playwright = Playwright.create()) {
            Browser browser = HeadlessChromium.launch(playwright);
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)
                    .setAcceptDownloads(true)).newPage();
            ClicksegPage clickseg = new ClicksegPage(page, server.baseUrl());
            clickseg.open();
            clickseg.page().locator("#file-input").setInputFiles(new FilePayload(image.getFileName().toString(),
                    "image/" + (image.toString().toLowerCase().endsWith("bmp") ? "bmp" : "jpeg"), Files.readAllBytes(image)));
            assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
            clickseg.clickImageAt(click[0] + 0.5, click[1] + 0.5);
            assertThat(clickseg.viewer()).hasAttribute("data-mask-area", Pattern.compile("[1-9][0-9]*"));
            assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
            boolean[] mask = ExportedMasks.fromCocoJson(clickseg.exportCocoRle());
            assertEquals(width * height, mask.length);
            long intersection = 0;
            long union = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int t = truth.getRaster().getSample(x, y, 0);
                    if (t == 128) {
                        continue;
                    }
                    boolean inside = t > 128;
                    intersection += inside && mask[y * width + x] ? 1 : 0;
                    union += inside || mask[y * width + x] ? 1 : 0;
                }
            }
            double iou = (double) intersection / union;
            Path shot = Paths.get(System.getProperty("clickseg.e2e.screenshots", "target/e2e-screenshots"))
                    .resolve("product-" + stem + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            System.out.println("GrabCut " + stem + " " + width + "x" + height + ": click at " + click[0] + "," + click[1]
                    + ", IoU " + iou + ", " + clickseg.decodeTiming().textContent() + ", screenshot " + shot.toAbsolutePath());
            assertTrue(iou > 0.5, "one click finds most of the object: IoU " + iou);
            assertEquals(List.of(), clickseg.consoleErrors());
        }
    }

    /** The same photo on a phone held upright (390 × 844, touch): one tap, then the ⋯ menu open. */
    @Test
    void one_tap_on_a_phone_masks_the_object_and_the_page_fits_the_screen() throws Exception {
        String stem = System.getProperty("clickseg.e2e.grabcut");
        Path image = findImage(stem);
        BufferedImage truth = ImageIO.read(GRABCUT.resolve("masks").resolve(stem + ".bmp").toFile());
        int[] click = farthestFromBoundary(truth);
        PlaywrightAssertions.setDefaultAssertionTimeout(120_000);
        try (ClicksegServer server = ClicksegServer.start(); Playwright playwright = Playwright.create()) {
            Browser browser = HeadlessChromium.launch(playwright);
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                    .setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(2)).newPage();
            ClicksegPage clickseg = new ClicksegPage(page, server.baseUrl());
            clickseg.open();
            Path shots = Paths.get(System.getProperty("clickseg.e2e.screenshots", "target/e2e-screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("phone-empty.png")));
            clickseg.page().locator("#file-input").setInputFiles(new FilePayload(image.getFileName().toString(),
                    "image/" + (image.toString().toLowerCase().endsWith("bmp") ? "bmp" : "jpeg"), Files.readAllBytes(image)));
            assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
            double scale = Double.parseDouble(clickseg.canvas().getAttribute("data-scale"));
            var box = clickseg.canvas().boundingBox();
            page.touchscreen().tap(box.x + Double.parseDouble(clickseg.canvas().getAttribute("data-offset-x"))
                            + (click[0] + 0.5) * scale,
                    box.y + Double.parseDouble(clickseg.canvas().getAttribute("data-offset-y")) + (click[1] + 0.5) * scale);
            assertThat(clickseg.viewer()).hasAttribute("data-mask-area", Pattern.compile("[1-9][0-9]*"));
            assertThat(clickseg.viewer()).not().hasAttribute("data-busy", "true");
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("phone-" + stem + ".png")));
            page.locator("#more-button").click();
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("phone-" + stem + "-menu.png")));
            Object scrollWidth = page.evaluate("() => document.documentElement.scrollWidth");
            System.out.println("phone " + stem + ": scrollWidth " + scrollWidth + ", toolbar "
                    + page.locator("header.toolbar").boundingBox().height + " px, screenshots in " + shots.toAbsolutePath());
            assertEquals(390, ((Number) scrollWidth).intValue());
            assertEquals(List.of(), clickseg.consoleErrors());
        }
    }

    /** The everything view on the same photo: every object the server finds, coloured, one hovered. */
    @Test
    void the_everything_view_on_a_real_photo_colours_every_object() throws Exception {
        String stem = System.getProperty("clickseg.e2e.grabcut");
        Path image = findImage(stem);
        PlaywrightAssertions.setDefaultAssertionTimeout(240_000);
        try (ClicksegServer server = ClicksegServer.start(); Playwright playwright = Playwright.create()) {
            Browser browser = HeadlessChromium.launch(playwright);
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
            ClicksegPage clickseg = new ClicksegPage(page, server.baseUrl());
            clickseg.open();
            clickseg.page().locator("#file-input").setInputFiles(new FilePayload(image.getFileName().toString(),
                    "image/" + (image.toString().toLowerCase().endsWith("bmp") ? "bmp" : "jpeg"), Files.readAllBytes(image)));
            assertThat(clickseg.status()).hasAttribute("data-stage", "ready");
            long start = System.nanoTime();
            clickseg.everythingButton().click();
            assertThat(clickseg.viewer()).hasAttribute("data-everything", "shown"); // the job's end, not its first masks
            assertThat(clickseg.viewer()).hasAttribute("data-everything-count", Pattern.compile("[1-9][0-9]*"));
            double seconds = (System.nanoTime() - start) / 1e9;
            BufferedImage truth = ImageIO.read(GRABCUT.resolve("masks").resolve(stem + ".bmp").toFile());
            int[] inside = farthestFromBoundary(truth);
            clickseg.hoverImageAt(inside[0] + 0.5, inside[1] + 0.5);
            Path shot = Paths.get(System.getProperty("clickseg.e2e.screenshots", "target/e2e-screenshots"))
                    .resolve("everything-" + stem + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            System.out.println("GrabCut " + stem + " everything: " + clickseg.viewer().getAttribute("data-everything-count")
                    + " masks in " + seconds + " s (page clock), screenshot " + shot.toAbsolutePath());
            assertEquals(List.of(), clickseg.consoleErrors());
        }
    }

    private static Path findImage(String stem) throws Exception {
        try (var files = Files.list(GRABCUT.resolve("images"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(stem + ".")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no GrabCut image " + stem + " in " + GRABCUT));
        }
    }

    /** The object pixel farthest from any non-object pixel (two-pass city-block distance transform). */
    private static int[] farthestFromBoundary(BufferedImage truth) {
        int w = truth.getWidth();
        int h = truth.getHeight();
        int[] d = new int[w * h]; // (h, w)
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = truth.getRaster().getSample(x, y, 0) == 255 ? w + h : 0;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int up = y > 0 ? d[i - w] + 1 : 1;
                int left = x > 0 ? d[i - 1] + 1 : 1;
                d[i] = Math.min(d[i], Math.min(up, left));
            }
        }
        int best = 0;
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                int down = y < h - 1 ? d[i + w] + 1 : 1;
                int right = x < w - 1 ? d[i + 1] + 1 : 1;
                d[i] = Math.min(d[i], Math.min(down, right));
                if (d[i] > d[best]) {
                    best = i;
                }
            }
        }
        return new int[] {best % w, best / w};
    }
}

package clickseg.server.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.TestServer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/export/coco, yolo, svg and masks on a real server: the files read back (Gson, an even–odd
 * rasteriser of the test's own, java.util.zip, ImageIO, the JDK's XML parser) and match the masks sent, and
 * every hostile body gets a JSON 400 (or 413/415) naming the field while the server keeps serving.
 */
class ExportApiTest {
    /** The bar for polygons at the default tolerance. */
    private static final double MIN_IOU = 0.98;
    private static final int W = 160;
    private static final int H = 120;
    private static final BinaryMask BALL = ReadBack.disc(W, H, 50, 60, 30, 0);
    private static final BinaryMask TYRE = ReadBack.disc(W, H, 115, 55, 35, 15);

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String rle(BinaryMask mask) {
        return "{\"size\": [" + mask.height() + ", " + mask.width() + "], \"counts\": \""
                + RunLengthEncoding.encode(mask).replace("\\", "\\\\") + "\"}";
    }

    /** Two images: a ball and a tyre (with a hole) on the first, the tyre again on the second. */
    private static String twoImages(String options) {
        return "{\"images\": ["
                + "{\"fileName\": \"one.jpg\", \"width\": " + W + ", \"height\": " + H + ", \"objects\": ["
                + "{\"id\": 4, \"label\": \"ball\", \"color\": \"#ff0000\", \"rle\": " + rle(BALL) + "},"
                + "{\"id\": 9, \"label\": \"tyre\", \"rle\": " + rle(TYRE) + "}]},"
                + "{\"fileName\": \"two.jpg\", \"width\": " + W + ", \"height\": " + H + ", \"objects\": ["
                + "{\"label\": \"tyre\", \"rle\": " + rle(TYRE) + "}]}]" + options + "}";
    }

    private static HttpResponse<byte[]> ok(String path, String body) throws Exception {
        HttpResponse<byte[]> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), TestServer.text(response));
        return response;
    }

    @Test
    void the_coco_export_loads_with_integer_ids_and_its_polygons_rasterise_back_to_the_masks() throws Exception {
        HttpResponse<byte[]> response = ok("/api/export/coco", twoImages(""));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject coco = TestServer.json(response);
        assertEquals(2, coco.getAsJsonArray("images").size());
        assertEquals(2, coco.getAsJsonArray("images").get(1).getAsJsonObject().get("id").getAsInt());
        assertEquals("two.jpg", coco.getAsJsonArray("images").get(1).getAsJsonObject().get("file_name").getAsString());
        JsonArray categories = coco.getAsJsonArray("categories");
        assertEquals("ball", categories.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(2, categories.get(1).getAsJsonObject().get("id").getAsInt());
        JsonArray annotations = coco.getAsJsonArray("annotations");
        assertEquals(3, annotations.size());
        BinaryMask[] masks = {BALL, TYRE, TYRE};
        int[] imageIds = {1, 1, 2};
        int[] categoryIds = {1, 2, 2};
        int[] objectIds = {4, 9, 1};
        for (int i = 0; i < 3; i++) {
            JsonObject a = annotations.get(i).getAsJsonObject();
            assertEquals(i + 1, a.get("id").getAsInt());
            assertEquals(imageIds[i], a.get("image_id").getAsInt());
            assertEquals(categoryIds[i], a.get("category_id").getAsInt());
            assertEquals(objectIds[i], a.get("object_id").getAsInt());
            assertEquals(0, a.get("iscrowd").getAsInt());
            assertEquals(masks[i].area(), a.get("area").getAsLong());
            double iou = ReadBack.iou(masks[i], ReadBack.cocoPolygons(a.getAsJsonArray("segmentation"), W, H));
            assertTrue(iou >= MIN_IOU, "annotation " + (i + 1) + ": IoU " + iou);
        }
    }

    @Test
    void the_coco_rle_export_carries_the_masks_exactly_as_iscrowd_and_takes_counts_as_runs_too() throws Exception {
        JsonObject coco = TestServer.json(ok("/api/export/coco", twoImages(", \"segmentation\": \"rle\"")));
        JsonObject first = coco.getAsJsonArray("annotations").get(0).getAsJsonObject();
        assertEquals(1, first.get("iscrowd").getAsInt());
        assertEquals(RunLengthEncoding.encode(BALL), first.getAsJsonObject("segmentation").get("counts").getAsString());

        StringBuilder runs = new StringBuilder();
        for (int c : RunLengthEncoding.counts(BALL)) {
            runs.append(runs.length() == 0 ? "" : ",").append(c);
        }
        String body = "{\"images\": [{\"fileName\": \"a.png\", \"width\": " + W + ", \"height\": " + H
                + ", \"objects\": [{\"rle\": {\"size\": [" + H + ", " + W + "], \"counts\": [" + runs + "]}}]}], "
                + "\"segmentation\": \"rle\"}";
        JsonObject fromRuns = TestServer.json(ok("/api/export/coco", body));
        assertEquals(RunLengthEncoding.encode(BALL), fromRuns.getAsJsonArray("annotations").get(0).getAsJsonObject()
                .getAsJsonObject("segmentation").get("counts").getAsString());
        assertEquals("object", fromRuns.getAsJsonArray("categories").get(0).getAsJsonObject().get("name").getAsString());
    }

    @Test
    void the_yolo_export_is_a_zip_of_label_lines_that_rasterise_back_with_the_class_list() throws Exception {
        HttpResponse<byte[]> response = ok("/api/export/yolo", twoImages(", \"tolerance\": 1.0"));
        assertEquals("application/zip", response.headers().firstValue("Content-Type").orElse(""));
        Map<String, byte[]> files = unzip(response.body());
        assertEquals(List.of("labels/one.txt", "labels/two.txt", "classes.txt", "data.yaml"), List.copyOf(files.keySet()));
        assertEquals("ball\ntyre\n", new String(files.get("classes.txt"), StandardCharsets.UTF_8));
        assertTrue(new String(files.get("data.yaml"), StandardCharsets.UTF_8).contains("names:\n  0: \"ball\"\n  1: \"tyre\"\n"));
        String[] lines = new String(files.get("labels/one.txt"), StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        BinaryMask[] masks = {BALL, TYRE};
        for (int i = 0; i < 2; i++) {
            String[] fields = lines[i].split(" ");
            assertEquals(i, Integer.parseInt(fields[0]));
            double[] polygon = new double[fields.length - 1];
            for (int k = 1; k < fields.length; k++) {
                double v = Double.parseDouble(fields[k]);
                assertTrue(v >= 0 && v <= 1, "normalised: " + v);
                polygon[k - 1] = v * ((k - 1) % 2 == 0 ? W : H);
            }
            double iou = ReadBack.iou(masks[i], ReadBack.fill(List.of(polygon), W, H));
            assertTrue(iou >= MIN_IOU, "line " + i + ": IoU " + iou);
        }
    }

    @Test
    void the_svg_export_parses_as_xml_with_a_titled_path_per_object() throws Exception {
        String body = "{\"images\": [{\"fileName\": \"one.jpg\", \"width\": " + W + ", \"height\": " + H
                + ", \"objects\": [{\"label\": \"<b>&</b>\", \"color\": \"#00ff00\", \"rle\": " + rle(TYRE) + "}]}]}";
        HttpResponse<byte[]> response = ok("/api/export/svg", body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
        Element path = (Element) svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        assertEquals("#00ff00", path.getAttribute("fill"));
        assertEquals("evenodd", path.getAttribute("fill-rule"));
        assertEquals("<b>&</b>", path.getTextContent());
    }

    @Test
    void the_masks_export_is_a_zip_with_an_indexed_label_map_and_a_png_per_object() throws Exception {
        Map<String, byte[]> files = unzip(ok("/api/export/masks", twoImages("")).body());
        assertTrue(files.keySet().containsAll(List.of("one/label-map.png", "one/masks/01-ball.png",
                "one/masks/02-tyre.png", "one/objects.json", "two/label-map.png")), files.keySet().toString());
        BufferedImage map = ImageIO.read(new ByteArrayInputStream(files.get("one/label-map.png")));
        IndexColorModel palette = (IndexColorModel) map.getColorModel();
        assertEquals(0xff0000, palette.getRGB(1) & 0xFFFFFF, "the ball's colour");
        assertEquals(1, map.getRaster().getSample(50, 60, 0));
        assertEquals(2, map.getRaster().getSample(115 + 25, 55, 0));
        assertEquals(0, map.getRaster().getSample(115, 55, 0), "the tyre's hole");
    }

    static Stream<Arguments> hostileBodies() {
        String image = "{\"fileName\": \"a.jpg\", \"width\": 4, \"height\": 2, \"objects\": [";
        String good = "{\"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}";
        StringBuilder manyImages = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            manyImages.append(i == 0 ? "" : ",").append(image).append("]}");
        }
        StringBuilder manyObjects = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            manyObjects.append(i == 0 ? "" : ",").append(good);
        }
        StringBuilder bigWork = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            bigWork.append(i == 0 ? "" : ",").append("{\"fileName\": \"a.jpg\", \"width\": 10000, \"height\": 5000, "
                    + "\"objects\": [{\"rle\": {\"size\": [5000, 10000], \"counts\": [50000000]}}]}");
        }
        return Stream.of(
                Arguments.of("no images field", "{}", "bad_export", "images"),
                Arguments.of("images as an object", "{\"images\": {}}", "bad_export", "images"),
                Arguments.of("no images", "{\"images\": []}", "bad_export", "images"),
                Arguments.of("101 images", "{\"images\": [" + manyImages + "]}", "bad_export", "images"),
                Arguments.of("256 objects on one image", "{\"images\": [" + image + manyObjects + "]}]}", "bad_export",
                        "images[0].objects"),
                Arguments.of("a billion object pixels", "{\"images\": [" + bigWork + "]}", "bad_export", "images"),
                Arguments.of("an image as a string", "{\"images\": [\"a.jpg\"]}", "bad_export", "images[0]"),
                Arguments.of("no file name", "{\"images\": [{\"width\": 4, \"height\": 2, \"objects\": []}]}",
                        "bad_export", "images[0].fileName"),
                Arguments.of("width 0", "{\"images\": [{\"fileName\": \"a\", \"width\": 0, \"height\": 2, \"objects\": []}]}",
                        "bad_export", "images[0].width"),
                Arguments.of("width 2.5", "{\"images\": [{\"fileName\": \"a\", \"width\": 2.5, \"height\": 2, \"objects\": []}]}",
                        "bad_export", "images[0].width"),
                Arguments.of("width 1e10", "{\"images\": [{\"fileName\": \"a\", \"width\": 1e10, \"height\": 2, \"objects\": []}]}",
                        "bad_export", "images[0].width"),
                Arguments.of("width as a string", "{\"images\": [{\"fileName\": \"a\", \"width\": \"4\", \"height\": 2, \"objects\": []}]}",
                        "bad_export", "images[0].width"),
                Arguments.of("16384 × 16384 pixels", "{\"images\": [{\"fileName\": \"a\", \"width\": 16384, \"height\": 16384, \"objects\": []}]}",
                        "bad_export", "images[0]"),
                Arguments.of("no objects field", "{\"images\": [{\"fileName\": \"a\", \"width\": 4, \"height\": 2}]}",
                        "bad_export", "images[0].objects"),
                Arguments.of("runs covering too few pixels", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": [3, 4]}}]}]}", "bad_export", "images[0].objects[0].rle.counts"),
                Arguments.of("runs overflowing an int", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": [2147483647, 2147483647, 2]}}]}]}", "bad_export",
                        "images[0].objects[0].rle.counts"),
                Arguments.of("a run past an int", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": [3, 1e12]}}]}]}", "bad_export",
                        "images[0].objects[0].rle.counts[1]"),
                Arguments.of("a negative run", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": [10, -2]}}]}]}", "bad_export",
                        "images[0].objects[0].rle.counts[1]"),
                Arguments.of("a compressed string of a huge count", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": \"oooooooooo1\"}}]}]}", "bad_export",
                        "images[0].objects[0].rle.counts"),
                Arguments.of("a counts string with a bad character", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [2, 4], \"counts\": \"3 5\"}}]}]}", "bad_export",
                        "images[0].objects[0].rle.counts"),
                Arguments.of("a size that is not the image's", "{\"images\": [" + image
                        + "{\"rle\": {\"size\": [4, 2], \"counts\": [3, 5]}}]}]}", "bad_export",
                        "images[0].objects[0].rle.size"),
                Arguments.of("no rle", "{\"images\": [" + image + "{\"label\": \"x\"}]}]}", "bad_export",
                        "images[0].objects[0].rle"),
                Arguments.of("a label of 201 characters", "{\"images\": [" + image + "{\"label\": \"" + "x".repeat(201)
                        + "\", \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}]}]}", "bad_export", "images[0].objects[0].label"),
                Arguments.of("a label as a number", "{\"images\": [" + image
                        + "{\"label\": 7, \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}]}]}", "bad_export",
                        "images[0].objects[0].label"),
                Arguments.of("a colour by name", "{\"images\": [" + image
                        + "{\"color\": \"red\", \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}]}]}", "bad_export",
                        "images[0].objects[0].color"),
                Arguments.of("two objects with one id", "{\"images\": [" + image
                        + "{\"id\": 3, \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}},"
                        + "{\"id\": 3, \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}]}]}", "bad_export",
                        "images[0].objects[1].id"),
                Arguments.of("a misspelt object field", "{\"images\": [" + image
                        + "{\"lable\": \"x\", \"rle\": {\"size\": [2, 4], \"counts\": [3, 5]}}]}]}", "bad_export",
                        "images[0].objects[0].lable"),
                Arguments.of("tolerance 51", "{\"images\": [" + image + "]}], \"tolerance\": 51}", "bad_export", "tolerance"),
                Arguments.of("a negative tolerance", "{\"images\": [" + image + "]}], \"tolerance\": -1}", "bad_export", "tolerance"),
                Arguments.of("tolerance as a string", "{\"images\": [" + image + "]}], \"tolerance\": \"1\"}", "bad_export", "tolerance"),
                Arguments.of("an unknown segmentation", "{\"images\": [" + image + "]}], \"segmentation\": \"mask\"}",
                        "bad_export", "segmentation"),
                Arguments.of("malformed JSON", "{\"images\": [", "bad_json", "body"),
                Arguments.of("an empty body", "", "bad_json", "body"));
    }

    @ParameterizedTest(name = "{0} is refused with 400 naming {3}")
    @MethodSource("hostileBodies")
    void a_hostile_body_is_refused_with_a_json_400_naming_the_field(String what, String body, String error,
                                                                    String field) throws Exception {
        assertRefused(server.postJson("/api/export/coco", body), 400, error, field);
    }

    @Test
    void a_noise_like_mask_of_few_runs_is_refused_for_polygons_but_exported_as_rle() throws Exception {
        StringBuilder stripes = new StringBuilder(); // alternate full columns: 2,000 runs, 6 million outline vertices
        for (int i = 0; i < 2000; i++) {
            stripes.append(i == 0 ? "" : ",").append(3000);
        }
        String body = "{\"images\": [{\"fileName\": \"a\", \"width\": 2000, \"height\": 3000, \"objects\": [{\"rle\": "
                + "{\"size\": [3000, 2000], \"counts\": [" + stripes + "]}}]}]";
        assertRefused(server.postJson("/api/export/yolo", body + "}"), 400, "bad_export", "images[0].objects[0].rle");
        assertRefused(server.postJson("/api/export/coco", body + "}"), 400, "bad_export", "images[0].objects[0].rle");
        JsonObject rle = TestServer.json(ok("/api/export/coco", body + ", \"segmentation\": \"rle\"}"));
        assertEquals(3000L * 1000, rle.getAsJsonArray("annotations").get(0).getAsJsonObject().get("area").getAsLong());
    }

    @Test
    void parsing_a_body_of_millions_of_small_numbers_is_priced_at_what_gsons_tree_costs() {
        byte[] zeros = ("{\"images\": [{\"objects\": [{\"rle\": {\"counts\": [" + "0,".repeat(4 << 20) + "0]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(JsonCost.bytes(zeros) > 300L << 20, "reserved " + JsonCost.bytes(zeros));
        byte[] strings = ("{\"images\": [{\"objects\": [{\"rle\": {\"counts\": \"" + "0,:[".repeat(2 << 20) + "\"}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(JsonCost.bytes(strings) < 3L * strings.length, "commas inside strings are text: " + JsonCost.bytes(strings));
    }

    @Test
    void yolo_takes_no_segmentation_and_svg_one_image() throws Exception {
        assertRefused(server.postJson("/api/export/yolo", twoImages(", \"segmentation\": \"rle\"")), 400, "bad_export",
                "segmentation");
        assertRefused(server.postJson("/api/export/svg", twoImages("")), 400, "bad_export", "images");
    }

    @Test
    void a_body_over_8_mib_is_413_and_a_form_post_415_and_the_server_still_exports() throws Exception {
        String huge = "{\"images\": [], \"pad\": \"" + "x".repeat(9 << 20) + "\"}";
        assertRefused(server.postJson("/api/export/coco", huge), 413, "payload_too_large", "body");
        HttpResponse<byte[]> form = server.post("/api/export/coco", twoImages("").getBytes(StandardCharsets.UTF_8),
                "text/plain");
        assertEquals(415, form.statusCode());
        for (Arguments hostile : hostileBodies().toList()) {
            assertEquals(400, server.postJson("/api/export/yolo", (String) hostile.get()[1]).statusCode());
        }
        JsonObject coco = TestServer.json(ok("/api/export/coco", twoImages("")));
        assertEquals(3, coco.getAsJsonArray("annotations").size());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String error, String field) {
        String text = TestServer.text(response);
        assertEquals(status, response.statusCode(), text);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), text);
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        assertEquals(error, json.get("error").getAsString(), text);
        String message = json.get("message").getAsString();
        assertTrue(message.startsWith(field + ":") || message.startsWith(field + " "), "the message names " + field
                + ": " + message);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }
}

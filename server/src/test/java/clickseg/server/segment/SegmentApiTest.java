package clickseg.server.segment;

import clickseg.server.TestServer;
import clickseg.server.export.ReadBack;
import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.image.TestImages;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/images/{id}/segment against one real server with the real model, on {@link DiscPicture}:
 * masks checked against the discs' exact pixels, formats against each other and shared's encoders,
 * refinement through maskInput, and every refusal with its status, code and the field it names.
 */
class SegmentApiTest {
    /** A click in a flat disc on a plain background: the model's mask matches it far better than this. */
    private static final double DISC_IOU = 0.9;
    private static final int W = DiscPicture.WIDTH;
    private static final int H = DiscPicture.HEIGHT;
    private static final String RED_CLICK = "[" + DiscPicture.RED.centreX() + "," + DiscPicture.RED.centreY() + "]";
    private static final String BLUE_CLICK = "[" + DiscPicture.BLUE.centreX() + "," + DiscPicture.BLUE.centreY() + "]";
    /** A box around both discs. */
    private static final String BOTH_BOX = "[60,50,440,290]";

    @TempDir
    static Path data;
    static TestServer server;
    static String imageId;
    static String path;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        imageId = server.upload(TestImages.encode(DiscPicture.image(), "png"), "image/png");
        path = "/api/images/" + imageId + "/segment";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_click_in_the_disc_returns_one_mask_that_is_the_disc_with_its_area_and_bbox() throws Exception {
        JsonObject answer = segment("{\"points\": [" + RED_CLICK + "], \"labels\": [1]}");
        assertEquals(imageId, answer.get("image").getAsString());
        assertEquals(W, answer.get("width").getAsInt());
        assertEquals(H, answer.get("height").getAsInt());
        assertEquals("rle", answer.get("format").getAsString());
        JsonArray masks = answer.getAsJsonArray("masks");
        assertEquals(1, masks.size());
        JsonObject mask = masks.get(0).getAsJsonObject();
        assertTrue(mask.get("id").getAsString().matches("[0-9a-f]{32}"), mask.get("id").toString());
        JsonObject rle = mask.getAsJsonObject("rle");
        assertEquals(List.of(H, W), List.of(rle.getAsJsonArray("size").get(0).getAsInt(),
                rle.getAsJsonArray("size").get(1).getAsInt()), "COCO size is [height, width]");

        BinaryMask decoded = RunLengthEncoding.decode(rle.get("counts").getAsString(), W, H);
        double iou = DiscPicture.iou(decoded, DiscPicture.RED.mask());
        assertTrue(iou >= DISC_IOU, "IoU with the disc " + iou);
        assertEquals(decoded.area(), mask.get("area").getAsLong());
        assertArrayEquals(decoded.boundingBox(), ints(mask.getAsJsonArray("bbox")));
        float predicted = mask.get("iou").getAsFloat();
        float stability = mask.get("stability").getAsFloat();
        assertTrue(predicted > 0.5f && predicted < 1.5f, "predicted IoU " + predicted);
        assertTrue(stability > 0.5f && stability <= 1f, "stability " + stability);
        // One click: the ONNX single-mask rule takes the best of the multimask outputs 1-3.
        int index = mask.get("index").getAsInt();
        assertTrue(index >= 1 && index <= 3, "index " + index);
    }

    @Test
    void two_clicks_take_the_single_mask_output_as_the_onnx_export_does() throws Exception {
        JsonObject mask = first(segment("{\"points\": [" + RED_CLICK + ", [180, 170]], \"labels\": [1, 1]}"));
        assertEquals(0, mask.get("index").getAsInt());
        assertTrue(DiscPicture.iou(rle(mask), DiscPicture.RED.mask()) >= DISC_IOU);
    }

    @Test
    void a_box_around_the_disc_returns_the_disc() throws Exception {
        JsonObject mask = first(segment("{\"box\": [75, 105, 245, 275]}"));
        assertTrue(DiscPicture.iou(rle(mask), DiscPicture.RED.mask()) >= DISC_IOU);
    }

    @Test
    void multimask_returns_masks_one_to_three_by_predicted_iou_the_best_being_the_single_click_answer_with_pick_sam()
            throws Exception {
        String prompt = "\"points\": [" + RED_CLICK + "], \"labels\": [1]";
        JsonArray masks = segment("{" + prompt + ", \"multimask\": true}").getAsJsonArray("masks");
        assertEquals(3, masks.size());
        Set<Integer> indices = new HashSet<>();
        Set<String> ids = new HashSet<>();
        float previous = Float.POSITIVE_INFINITY;
        for (JsonElement element : masks) {
            JsonObject mask = element.getAsJsonObject();
            indices.add(mask.get("index").getAsInt());
            ids.add(mask.get("id").getAsString());
            float iou = mask.get("iou").getAsFloat();
            assertTrue(iou <= previous, "sorted by predicted IoU, highest first: " + masks);
            previous = iou;
        }
        assertEquals(Set.of(1, 2, 3), indices);
        assertEquals(3, ids.size(), "each mask has its own result id");
        JsonObject single = first(segment("{" + prompt + ", \"multimask\": false, \"pick\": \"sam\"}"));
        assertEquals(single.getAsJsonObject("rle"), masks.get(0).getAsJsonObject().getAsJsonObject("rle"));
        assertEquals(single.get("index"), masks.get(0).getAsJsonObject().get("index"));
    }

    @Test
    void a_single_click_answers_one_of_masks_one_to_three_chosen_by_the_central_rule_unless_pick_says_sam()
            throws Exception {
        String prompt = "\"points\": [" + RED_CLICK + "], \"labels\": [1]";
        JsonArray masks = segment("{" + prompt + ", \"multimask\": true}").getAsJsonArray("masks");
        JsonObject byDefault = first(segment("{" + prompt + "}"));
        JsonObject central = first(segment("{" + prompt + ", \"pick\": \"central\"}"));
        assertEquals(byDefault.get("index"), central.get("index"), "central is the default");
        boolean found = false;
        for (JsonElement element : masks) {
            JsonObject mask = element.getAsJsonObject();
            if (mask.get("index").equals(central.get("index"))) {
                assertEquals(mask.getAsJsonObject("rle"), central.getAsJsonObject("rle"));
                found = true;
            }
        }
        assertTrue(found, "the central pick is one of the multimask outputs: " + central.get("index"));
        assertTrue(DiscPicture.iou(rle(central), DiscPicture.RED.mask()) >= DISC_IOU);
    }

    @Test
    void the_rle_answer_is_what_shareds_encoder_makes_of_the_png_answers_mask() throws Exception {
        String prompt = "\"points\": [" + RED_CLICK + "], \"labels\": [1]";
        JsonObject rle = first(segment("{" + prompt + ", \"format\": \"rle\"}"));
        JsonObject png = first(segment("{" + prompt + ", \"format\": \"png\"}"));
        assertFalse(png.has("rle"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.get("png").getAsString())));
        assertEquals(W, image.getWidth());
        assertEquals(H, image.getHeight());
        BinaryMask fromPng = new BinaryMask(W, H);
        Raster raster = image.getRaster();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int value = raster.getSample(x, y, 0);
                assertTrue(value == 0 || value == 255, "binary PNG, got " + value);
                fromPng.set(x, y, value == 255);
            }
        }
        assertEquals(rle.getAsJsonObject("rle").get("counts").getAsString(), RunLengthEncoding.encode(fromPng));
        assertEquals(rle.get("area"), png.get("area"));
        assertEquals(rle.get("bbox"), png.get("bbox"));
    }

    @Test
    void the_polygon_answer_is_one_outer_ring_around_the_disc() throws Exception {
        JsonObject mask = first(segment("{\"points\": [" + RED_CLICK + "], \"labels\": [1], \"format\": \"polygon\"}"));
        JsonArray rings = mask.getAsJsonArray("polygon");
        assertEquals(1, rings.size(), rings.toString());
        JsonObject ring = rings.get(0).getAsJsonObject();
        assertFalse(ring.get("hole").getAsBoolean());
        JsonArray points = ring.getAsJsonArray("points");
        float[] xy = new float[points.size()];
        for (int i = 0; i < xy.length; i++) {
            xy[i] = points.get(i).getAsFloat();
        }
        DiscPicture.Disc red = DiscPicture.RED;
        for (int i = 0; i < xy.length; i += 2) {
            double r = Math.hypot(xy[i] - red.centreX(), xy[i + 1] - red.centreY());
            assertTrue(Math.abs(r - red.radius()) < 3, "outline point " + xy[i] + "," + xy[i + 1] + " is " + r
                    + " px from the centre of a disc of radius " + red.radius());
        }
        double area = Math.abs(MaskPolygon.signedArea(xy));
        long pixels = mask.get("area").getAsLong();
        assertEquals(pixels, area, 0.03 * pixels, "the ring encloses the mask's area");
    }

    @Test
    void the_coco_polygon_answer_rasterises_back_to_the_rle_answers_mask_exactly_traced_and_within_2_percent_simplified()
            throws Exception {
        String prompt = "\"points\": [" + RED_CLICK + "], \"labels\": [1]";
        BinaryMask mask = rle(first(segment("{" + prompt + "}")));
        JsonObject traced = segment("{" + prompt + ", \"format\": \"coco-polygon\", \"tolerance\": 0}");
        assertEquals("coco-polygon", traced.get("format").getAsString());
        JsonArray exact = first(traced).getAsJsonArray("segmentation");
        assertEquals(1.0, ReadBack.iou(mask, ReadBack.cocoPolygons(exact, W, H)), 0.0, "traced: exact");
        JsonObject simple = segment("{" + prompt + ", \"format\": \"coco-polygon\"}");
        assertEquals(1.0, simple.get("tolerance").getAsDouble(), "the default tolerance");
        JsonArray polygons = first(simple).getAsJsonArray("segmentation");
        assertEquals(1, polygons.size(), "one disc, one polygon");
        assertTrue(ReadBack.iou(mask, ReadBack.cocoPolygons(polygons, W, H)) >= 0.98);
        assertTrue(polygons.get(0).getAsJsonArray().size() * 4 < exact.get(0).getAsJsonArray().size(),
                "far fewer vertices: " + polygons.get(0).getAsJsonArray().size() / 2 + " of "
                        + exact.get(0).getAsJsonArray().size() / 2);
    }

    @Test
    void a_negative_click_with_the_previous_mask_as_input_removes_the_other_disc() throws Exception {
        BinaryMask red = DiscPicture.RED.mask();
        BinaryMask blue = DiscPicture.BLUE.mask();
        JsonObject both = first(segment("{\"box\": " + BOTH_BOX + "}"));
        BinaryMask bothMask = rle(both);
        assertTrue(coverage(bothMask, red) > 0.95 && coverage(bothMask, blue) > 0.95,
                "the box takes in both discs first");

        String refine = "\"box\": " + BOTH_BOX + ", \"points\": [" + BLUE_CLICK + "], \"labels\": [0]";
        JsonObject refined = first(segment("{" + refine + ", \"maskInput\": \"" + both.get("id").getAsString() + "\"}"));
        BinaryMask refinedMask = rle(refined);
        assertTrue(DiscPicture.iou(refinedMask, red) >= DISC_IOU, "only the red disc is left");
        assertTrue(coverage(refinedMask, blue) < 0.05, "the blue disc is gone");
        assertNotEquals(both.get("id"), refined.get("id"));

        // The mask input reached the decoder: without it the same prompt scores differently.
        JsonObject unrefined = first(segment("{" + refine + "}"));
        assertNotEquals(unrefined.get("iou").getAsFloat(), refined.get("iou").getAsFloat());
    }

    @Test
    void refining_with_the_same_prompt_keeps_the_mask() throws Exception {
        String prompt = "\"points\": [" + RED_CLICK + ", " + BLUE_CLICK + "], \"labels\": [1, 1]";
        JsonObject first = first(segment("{" + prompt + "}"));
        JsonObject again = first(segment("{" + prompt + ", \"maskInput\": \"" + first.get("id").getAsString() + "\"}"));
        assertTrue(DiscPicture.iou(rle(first), rle(again)) >= 0.95);
    }

    @Test
    void a_result_of_another_image_is_not_a_mask_input() throws Exception {
        String otherId = server.upload(TestImages.encode(TestImages.gradient(200, 150), "png"), "image/png");
        JsonObject other = first(TestServer.json(server.postJson("/api/images/" + otherId + "/segment",
                "{\"points\": [[100, 75]], \"labels\": [1]}")));
        HttpResponse<byte[]> response = server.postJson(path, "{\"points\": [" + RED_CLICK + "], \"labels\": [1], "
                + "\"maskInput\": \"" + other.get("id").getAsString() + "\"}");
        assertRefused(response, 400, "unknown_mask_input", "maskInput");
    }

    @Test
    void points_on_the_image_border_count_as_inside() throws Exception {
        JsonObject answer = segment("{\"points\": [[0, 0], [" + W + ", " + H + "]], \"labels\": [0, 0], "
                + "\"box\": [0, 0, " + W + ", " + H + "]}");
        assertEquals(1, answer.getAsJsonArray("masks").size());
    }

    @Test
    void concurrent_requests_get_the_same_masks_as_one_at_a_time() throws Exception {
        List<String> bodies = List.of(
                "{\"points\": [" + RED_CLICK + "], \"labels\": [1]}",
                "{\"points\": [" + BLUE_CLICK + "], \"labels\": [1]}",
                "{\"box\": " + BOTH_BOX + "}",
                "{\"points\": [" + RED_CLICK + ", " + BLUE_CLICK + "], \"labels\": [1, 0]}");
        List<String> sequential = new ArrayList<>();
        for (String body : bodies) {
            sequential.add(first(segment(body)).getAsJsonObject("rle").get("counts").getAsString());
        }
        List<CompletableFuture<String>> concurrent = new ArrayList<>();
        for (String body : bodies) {
            concurrent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return first(segment(body)).getAsJsonObject("rle").get("counts").getAsString();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < bodies.size(); i++) {
            assertEquals(sequential.get(i), concurrent.get(i).join(), bodies.get(i));
        }
    }

    static Stream<Arguments> badPrompts() {
        String click = "\"labels\": [1], \"points\": ";
        StringBuilder many = new StringBuilder();
        StringBuilder manyLabels = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("[").append(i).append(", 10]");
            manyLabels.append(i == 0 ? "" : ",").append("1");
        }
        return Stream.of(
                Arguments.of("a point right of the image", "{" + click + "[[" + (W + 1) + ", 10]]}", "bad_prompt", "points[0]"),
                Arguments.of("a point above the image", "{" + click + "[[10, -1]]}", "bad_prompt", "points[0]"),
                Arguments.of("an infinite coordinate", "{" + click + "[[1e999, 10]]}", "bad_prompt", "points[0][0]"),
                Arguments.of("a NaN coordinate", "{" + click + "[[10, NaN]]}", "bad_json", "points[0][1]"),
                Arguments.of("a null coordinate", "{" + click + "[[null, 10]]}", "bad_prompt", "points[0][0]"),
                Arguments.of("a coordinate as a string", "{" + click + "[[\"10\", 10]]}", "bad_prompt", "points[0][0]"),
                Arguments.of("a point of three numbers", "{" + click + "[[10, 10, 10]]}", "bad_prompt", "points[0]"),
                Arguments.of("points as an object", "{" + click + "{\"x\": 10, \"y\": 10}}", "bad_prompt", "points"),
                Arguments.of("label 2", "{\"points\": [[10, 10]], \"labels\": [2]}", "bad_prompt", "labels[0]"),
                Arguments.of("label 0.5", "{\"points\": [[10, 10]], \"labels\": [0.5]}", "bad_prompt", "labels[0]"),
                Arguments.of("a label as a boolean", "{\"points\": [[10, 10]], \"labels\": [true]}", "bad_prompt", "labels[0]"),
                Arguments.of("points without labels", "{\"points\": [[10, 10]]}", "bad_prompt", "labels"),
                Arguments.of("fewer labels than points", "{\"points\": [[10, 10], [20, 20]], \"labels\": [1]}", "bad_prompt", "labels"),
                Arguments.of("65 points", "{\"points\": [" + many + "], \"labels\": [" + manyLabels + "]}", "bad_prompt", "points"),
                Arguments.of("no prompt at all", "{}", "bad_prompt", "points"),
                Arguments.of("empty points and no box", "{\"points\": [], \"labels\": []}", "bad_prompt", "points"),
                Arguments.of("a box with x1 < x0", "{\"box\": [200, 10, 100, 50]}", "bad_prompt", "box"),
                Arguments.of("a box with y1 < y0", "{\"box\": [10, 200, 100, 50]}", "bad_prompt", "box"),
                Arguments.of("a box of three numbers", "{\"box\": [10, 10, 100]}", "bad_prompt", "box"),
                Arguments.of("a box reaching outside", "{\"box\": [10, 10, 100, " + (H + 5) + "]}", "bad_prompt", "box"),
                Arguments.of("an unknown maskInput", "{" + click + "[[10, 10]], \"maskInput\": \"0123456789abcdef0123456789abcdef\"}",
                        "unknown_mask_input", "maskInput"),
                Arguments.of("a maskInput that is no id", "{" + click + "[[10, 10]], \"maskInput\": \"../../etc\"}",
                        "unknown_mask_input", "maskInput"),
                Arguments.of("a maskInput as a number", "{" + click + "[[10, 10]], \"maskInput\": 12}", "bad_prompt", "maskInput"),
                Arguments.of("multimask as a string", "{" + click + "[[10, 10]], \"multimask\": \"yes\"}", "bad_prompt", "multimask"),
                Arguments.of("an unknown pick", "{" + click + "[[10, 10]], \"pick\": \"best\"}", "bad_prompt", "pick"),
                Arguments.of("an unknown format", "{" + click + "[[10, 10]], \"format\": \"jpeg\"}", "bad_prompt", "format"),
                Arguments.of("a tolerance over 50", "{" + click + "[[10, 10]], \"format\": \"coco-polygon\", \"tolerance\": 50.5}",
                        "bad_prompt", "tolerance"),
                Arguments.of("a negative tolerance", "{" + click + "[[10, 10]], \"format\": \"coco-polygon\", \"tolerance\": -0.1}",
                        "bad_prompt", "tolerance"),
                Arguments.of("a tolerance as a string", "{" + click + "[[10, 10]], \"format\": \"coco-polygon\", \"tolerance\": \"1\"}",
                        "bad_prompt", "tolerance"),
                Arguments.of("a tolerance for RLE", "{" + click + "[[10, 10]], \"tolerance\": 1}", "bad_prompt", "tolerance"),
                Arguments.of("a misspelt field", "{\"point\": [[10, 10]], \"labels\": [1]}", "bad_prompt", "point"),
                Arguments.of("malformed JSON", "{\"points\": [[10, 10]", "bad_json", "body"),
                Arguments.of("text after the object", "{\"box\": [1, 2, 3, 4]} {}", "bad_json", "body"),
                Arguments.of("an array instead of an object", "[[10, 10]]", "bad_json", "body"),
                Arguments.of("an empty body", "", "bad_json", "body"));
    }

    @ParameterizedTest(name = "{0} is refused with 400 naming {3}")
    @MethodSource("badPrompts")
    void a_bad_prompt_is_refused_with_400_naming_the_field_and_the_server_keeps_serving(String what, String body,
                                                                                        String error, String field)
            throws Exception {
        assertRefused(server.postJson(path, body), 400, error, field);
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void after_every_refusal_the_server_still_segments() throws Exception {
        for (Arguments refused : badPrompts().toList()) {
            assertEquals(400, server.postJson(path, (String) refused.get()[1]).statusCode());
        }
        JsonObject mask = first(segment("{\"points\": [" + RED_CLICK + "], \"labels\": [1]}"));
        assertTrue(DiscPicture.iou(rle(mask), DiscPicture.RED.mask()) >= DISC_IOU);
    }

    @Test
    void a_body_over_64_kib_is_refused_with_413() throws Exception {
        String body = "{\"points\": [[10, 10]], \"labels\": [1], \"format\": \"" + "r".repeat(70_000) + "\"}";
        assertRefused(server.postJson(path, body), 413, "payload_too_large", "body");
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void an_unknown_image_is_404_and_a_malformed_id_400() throws Exception {
        String prompt = "{\"points\": [[10, 10]], \"labels\": [1]}";
        assertRefused(server.postJson("/api/images/" + "0".repeat(64) + "/segment", prompt), 404, "not_found", "no image");
        HttpResponse<byte[]> malformed = server.postJson("/api/images/NOT-AN-ID/segment", prompt);
        assertEquals(400, malformed.statusCode());
        assertEquals("bad_id", TestServer.json(malformed).get("error").getAsString());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String error, String field) {
        String text = TestServer.text(response);
        assertEquals(status, response.statusCode(), text);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject json = TestServer.json(response);
        assertEquals(error, json.get("error").getAsString(), text);
        String message = json.get("message").getAsString();
        assertTrue(message.startsWith(field + ":") || message.startsWith(field + " ")
                || message.contains(" " + field + " ") || message.contains(" " + field + ":"),
                "the message names " + field + ": " + message);
    }

    private static JsonObject segment(String body) throws Exception {
        HttpResponse<byte[]> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), TestServer.text(response));
        return TestServer.json(response);
    }

    private static JsonObject first(JsonObject answer) {
        return answer.getAsJsonArray("masks").get(0).getAsJsonObject();
    }

    private static BinaryMask rle(JsonObject mask) {
        return RunLengthEncoding.decode(mask.getAsJsonObject("rle").get("counts").getAsString(), W, H);
    }

    /** Fraction of {@code part}'s pixels that {@code mask} covers. */
    private static double coverage(BinaryMask mask, BinaryMask part) {
        long inside = 0;
        long covered = 0;
        for (int i = 0; i < part.pixels().length; i++) {
            if (part.pixels()[i] != 0) {
                inside++;
                covered += mask.pixels()[i] != 0 ? 1 : 0;
            }
        }
        return (double) covered / inside;
    }

    private static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsInt();
        }
        return values;
    }
}

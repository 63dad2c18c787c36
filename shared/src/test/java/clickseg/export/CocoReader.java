package clickseg.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal COCO reader written apart from the exporter, as a training pipeline would read the file: Gson
 * for the JSON, {@link EvenOddRaster} for polygons, and its own decoder of pycocotools' compressed RLE.
 */
final class CocoReader {
    private CocoReader() {
    }

    static JsonObject parse(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** The annotation's mask, (height, width), from its polygons or its RLE. */
    static boolean[] mask(JsonObject annotation, int width, int height) {
        JsonElement segmentation = annotation.get("segmentation");
        if (segmentation.isJsonArray()) {
            List<double[]> polygons = new ArrayList<>();
            for (JsonElement p : segmentation.getAsJsonArray()) {
                JsonArray coordinates = p.getAsJsonArray();
                double[] polygon = new double[coordinates.size()];
                for (int i = 0; i < polygon.length; i++) {
                    polygon[i] = coordinates.get(i).getAsDouble();
                }
                polygons.add(polygon);
            }
            return EvenOddRaster.fill(polygons, width, height);
        }
        JsonObject rle = segmentation.getAsJsonObject();
        int h = rle.get("size").getAsJsonArray().get(0).getAsInt();
        int w = rle.get("size").getAsJsonArray().get(1).getAsInt();
        if (h != height || w != width) {
            throw new AssertionError("RLE size " + w + "x" + h + " for an image of " + width + "x" + height);
        }
        return decodeRle(rle.get("counts").getAsString(), width, height);
    }

    /** pycocotools' rleFrString then rleDecode: LEB-like 5-bit groups, deltas after the third count, column-major. */
    static boolean[] decodeRle(String s, int width, int height) {
        List<Long> counts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                int c = s.charAt(p) - 48;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (counts.size() > 2) {
                x += counts.get(counts.size() - 2);
            }
            counts.add(x);
        }
        boolean[] mask = new boolean[width * height];
        long index = 0;
        boolean value = false;
        for (long c : counts) {
            for (long i = 0; i < c; i++, index++) {
                if (value) {
                    int x = (int) (index / height);
                    int y = (int) (index % height);
                    mask[y * width + x] = true;
                }
            }
            value = !value;
        }
        if (index != (long) width * height) {
            throw new AssertionError("RLE covers " + index + " pixels of " + (long) width * height);
        }
        return mask;
    }
}

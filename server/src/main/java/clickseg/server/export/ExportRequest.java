package clickseg.server.export;

import clickseg.export.CocoSegmentation;
import clickseg.export.ExportImage;
import clickseg.export.ExportObject;
import clickseg.export.MaskOutline;
import clickseg.export.ObjectColours;
import clickseg.export.OutlineVertices;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.json.JsonFields;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/export/coco | yolo | svg | masks}, checked field by field: every refusal is a
 * 400 {@code bad_export} whose message starts with the field it is about ({@code images[1].objects[0].rle.counts}).
 *
 * <pre>
 * {"images": [{"fileName": "street.jpg", "width": 640, "height": 480,
 *              "objects": [{"id": 1, "label": "dog", "color": "#ff8800",
 *                           "rle": {"size": [480, 640], "counts": "&lt;COCO compressed RLE&gt;" | [runs…]}}]}],
 *  "segmentation": "polygon" | "rle",   (COCO only; default polygon)
 *  "tolerance": 1.0}                    (pixels, 0 to 50; default 1)
 * </pre>
 * {@code id} (default: the object's position, 1..), {@code label} (default "object") and {@code color}
 * (default: a palette colour per position) are optional. Unknown fields are refused, so that a typo is not
 * silently ignored. Bounds keep one request's memory and CPU small: see the constants.
 *
 * @param workPixels the sum of width × height over all objects: what the export will scan
 * @param vertices   traced outline vertices over all objects ({@link OutlineVertices}): what polygons cost
 * @param mostVertices the largest outline of one object, and {@code mostVerticesField} names that object
 */
public record ExportRequest(List<ExportImage> images, CocoSegmentation segmentation, double tolerance,
                            long maxImagePixels, long workPixels, long vertices, long mostVertices,
                            String mostVerticesField) {
    public static final int MAX_IMAGES = 100;
    /** A label map holds 255 objects (8-bit indices); the other formats follow for one rule. */
    public static final int MAX_OBJECTS_PER_IMAGE = 255;
    public static final int MAX_OBJECTS = 2_000;
    public static final int MAX_SIDE = 16_384;
    /** 50 megapixels: an 8K frame (33 MP) or a 48 MP phone photo fits. */
    public static final long MAX_IMAGE_PIXELS = 50_000_000L;
    /** Object pixels scanned per request (a mask is decoded, measured and traced): ~2 s of one core. */
    public static final long MAX_WORK_PIXELS = 1_000_000_000L;
    /**
     * Traced outline vertices of one object: a detailed 50-megapixel mask has a few hundred thousand; more is a
     * noise-like mask, whose polygon is no use (and would be a gigabyte of text).
     */
    public static final long MAX_OBJECT_VERTICES = 2_000_000;
    /** Traced vertices per request when the answer has polygons (~40 bytes each while written). */
    public static final long MAX_VERTICES = 5_000_000;
    public static final int MAX_LABEL_LENGTH = 200;
    public static final int MAX_FILE_NAME_LENGTH = 255;

    private static final JsonFields JSON = new JsonFields("bad_export");
    private static final Set<String> IMAGE_FIELDS = Set.of("fileName", "width", "height", "objects");
    private static final Set<String> OBJECT_FIELDS = Set.of("id", "label", "color", "rle");
    private static final String EXAMPLE = "{\"images\": [{\"fileName\": \"a.jpg\", \"width\": 640, \"height\": 480, "
            + "\"objects\": [{\"label\": \"dog\", \"rle\": {\"size\": [480, 640], \"counts\": \"...\"}}]}]}";

    /**
     * @param coco whether the route writes COCO (and so takes {@code segmentation})
     */
    public static ExportRequest parse(byte[] body, boolean coco) {
        JsonObject json = JsonFields.object(body, EXAMPLE);
        Set<String> fields = coco ? Set.of("images", "segmentation", "tolerance") : Set.of("images", "tolerance");
        for (String key : json.keySet()) {
            if (!fields.contains(key)) {
                throw JSON.bad(key + " is not a field of this export (fields: " + String.join(", ", sorted(fields))
                        + ")");
            }
        }
        CocoSegmentation segmentation = segmentation(json.get("segmentation"));
        double tolerance = tolerance(json.get("tolerance"));
        JsonElement imagesElement = json.get("images");
        if (imagesElement == null || !imagesElement.isJsonArray()) {
            throw JSON.bad("images: must be an array of images, got " + JsonFields.kind(imagesElement));
        }
        JsonArray array = imagesElement.getAsJsonArray();
        if (array.isEmpty() || array.size() > MAX_IMAGES) {
            throw JSON.bad("images: must hold 1 to " + MAX_IMAGES + " images, got " + array.size());
        }
        List<ExportImage> images = new ArrayList<>();
        int objectCount = 0;
        long work = 0;
        long largest = 0;
        long vertices = 0;
        long most = 0;
        String mostField = null;
        for (int i = 0; i < array.size(); i++) {
            ExportImage image = image(array.get(i), "images[" + i + "]");
            for (int k = 0; k < image.objects().size(); k++) {
                long n = OutlineVertices.count(image.objects().get(k).rleCounts(), image.width(), image.height());
                vertices += n;
                if (n > most) {
                    most = n;
                    mostField = "images[" + i + "].objects[" + k + "]";
                }
            }
            objectCount += image.objects().size();
            if (objectCount > MAX_OBJECTS) {
                throw JSON.bad("images: more than " + MAX_OBJECTS + " objects in one export; split it into several");
            }
            long pixels = (long) image.width() * image.height();
            work += pixels * image.objects().size();
            if (work > MAX_WORK_PIXELS) {
                throw JSON.bad("images: the objects cover more than " + MAX_WORK_PIXELS + " image pixels in all "
                        + "(objects × width × height); split the export into several");
            }
            largest = Math.max(largest, pixels);
            images.add(image);
        }
        return new ExportRequest(images, segmentation, tolerance, largest, work, vertices, most, mostField);
    }

    /** For answers with polygons: 400 when an outline or all of them together would be too large to write. */
    public void requireTraceable() {
        if (mostVertices > MAX_OBJECT_VERTICES) {
            throw JSON.bad(mostVerticesField + ".rle: its outline has " + mostVertices + " vertices, more than "
                    + MAX_OBJECT_VERTICES + " (a noise-like mask); export it as RLE (COCO \"segmentation\": \"rle\") "
                    + "or in the masks zip");
        }
        if (vertices > MAX_VERTICES) {
            throw JSON.bad("images: the objects' outlines have " + vertices + " vertices in all, more than "
                    + MAX_VERTICES + "; split the export into several");
        }
    }

    private static List<String> sorted(Set<String> set) {
        List<String> list = new ArrayList<>(set);
        java.util.Collections.sort(list);
        return list;
    }

    private static ExportImage image(JsonElement element, String field) {
        if (element == null || !element.isJsonObject()) {
            throw JSON.bad(field + ": must be an object {fileName, width, height, objects}, got "
                    + JsonFields.kind(element));
        }
        JsonObject json = element.getAsJsonObject();
        for (String key : json.keySet()) {
            if (!IMAGE_FIELDS.contains(key)) {
                throw JSON.bad(field + "." + key + " is not a field of an image (fields: fileName, width, height, "
                        + "objects)");
            }
        }
        String fileName = string(json.get("fileName"), field + ".fileName", MAX_FILE_NAME_LENGTH, true);
        if (fileName == null || fileName.isBlank()) {
            throw JSON.bad(field + ".fileName: must be the image's file name, e.g. \"street.jpg\"");
        }
        int width = integer(json.get("width"), field + ".width", 1, MAX_SIDE);
        int height = integer(json.get("height"), field + ".height", 1, MAX_SIDE);
        if ((long) width * height > MAX_IMAGE_PIXELS) {
            throw JSON.bad(field + ": " + width + "x" + height + " is more than " + MAX_IMAGE_PIXELS + " pixels");
        }
        JsonElement objectsElement = json.get("objects");
        if (objectsElement == null || !objectsElement.isJsonArray()) {
            throw JSON.bad(field + ".objects: must be an array of objects (may be empty), got "
                    + JsonFields.kind(objectsElement));
        }
        JsonArray array = objectsElement.getAsJsonArray();
        if (array.size() > MAX_OBJECTS_PER_IMAGE) {
            throw JSON.bad(field + ".objects: at most " + MAX_OBJECTS_PER_IMAGE + " objects per image, got "
                    + array.size());
        }
        List<ExportObject> objects = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (int k = 0; k < array.size(); k++) {
            ExportObject object = object(array.get(k), field + ".objects[" + k + "]", k, width, height);
            if (!ids.add(object.id())) {
                throw JSON.bad(field + ".objects[" + k + "].id: " + object.id() + " is taken by an earlier object of "
                        + "this image");
            }
            objects.add(object);
        }
        return new ExportImage(fileName, width, height, objects);
    }

    private static ExportObject object(JsonElement element, String field, int index, int width, int height) {
        if (element == null || !element.isJsonObject()) {
            throw JSON.bad(field + ": must be an object {id, label, color, rle}, got " + JsonFields.kind(element));
        }
        JsonObject json = element.getAsJsonObject();
        for (String key : json.keySet()) {
            if (!OBJECT_FIELDS.contains(key)) {
                throw JSON.bad(field + "." + key + " is not a field of an object (fields: id, label, color, rle)");
            }
        }
        JsonElement idElement = json.get("id");
        int id = idElement == null || idElement.isJsonNull() ? index + 1
                : integer(idElement, field + ".id", 0, Integer.MAX_VALUE);
        String label = string(json.get("label"), field + ".label", MAX_LABEL_LENGTH, false);
        int rgb = colour(json.get("color"), field + ".color", index);
        int[] counts = counts(json.get("rle"), field + ".rle", width, height);
        try {
            return ExportObject.ofRle(id, label == null ? "" : label, rgb, width, height, counts);
        } catch (IllegalArgumentException e) {
            throw JSON.bad(field + ".rle." + e.getMessage());
        }
    }

    /** Uncompressed runs from {size: [h, w], counts: "compressed" | [runs…]}; the size must be the image's. */
    private static int[] counts(JsonElement element, String field, int width, int height) {
        if (element == null || !element.isJsonObject()) {
            throw JSON.bad(field + ": must be COCO RLE {\"size\": [" + height + ", " + width + "], \"counts\": …}, got "
                    + JsonFields.kind(element));
        }
        JsonObject rle = element.getAsJsonObject();
        for (String key : rle.keySet()) {
            if (!key.equals("size") && !key.equals("counts")) {
                throw JSON.bad(field + "." + key + " is not a field of COCO RLE (fields: size, counts)");
            }
        }
        JsonElement size = rle.get("size");
        if (size == null || !size.isJsonArray() || size.getAsJsonArray().size() != 2) {
            throw JSON.bad(field + ".size: must be [height, width] = [" + height + ", " + width + "], got "
                    + JsonFields.kind(size));
        }
        int h = integer(size.getAsJsonArray().get(0), field + ".size[0]", 1, MAX_SIDE);
        int w = integer(size.getAsJsonArray().get(1), field + ".size[1]", 1, MAX_SIDE);
        if (h != height || w != width) {
            throw JSON.bad(field + ".size: [" + h + ", " + w + "] is not the image's [height, width] = [" + height
                    + ", " + width + "]");
        }
        JsonElement countsElement = rle.get("counts");
        long total = (long) width * height;
        int[] counts;
        if (countsElement instanceof JsonPrimitive p && p.isString()) {
            try {
                counts = RunLengthEncoding.decodeCounts(p.getAsString());
            } catch (IllegalArgumentException e) {
                throw JSON.bad(field + ".counts: not COCO compressed RLE (" + e.getMessage() + ")");
            }
        } else if (countsElement != null && countsElement.isJsonArray()) {
            JsonArray array = countsElement.getAsJsonArray();
            if (array.size() > total + 1) {
                throw JSON.bad(field + ".counts: " + array.size() + " runs for " + total + " pixels");
            }
            counts = new int[array.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = integer(array.get(i), field + ".counts[" + i + "]", 0, Integer.MAX_VALUE);
            }
        } else {
            throw JSON.bad(field + ".counts: must be a COCO compressed RLE string or an array of run lengths, got "
                    + JsonFields.kind(countsElement));
        }
        long sum = 0;
        for (int c : counts) {
            sum += c;
        }
        if (sum != total) {
            throw JSON.bad(field + ".counts: the runs cover " + sum + " pixels, the image has " + total + " ("
                    + width + "x" + height + ")");
        }
        return counts;
    }

    private static int integer(JsonElement element, String field, int min, int max) {
        double value = JSON.number(element, field);
        if (value != Math.rint(value) || value < min || value > max) {
            throw JSON.bad(field + ": must be a whole number from " + min + " to " + max + ", got " + element);
        }
        return (int) value;
    }

    /** A string of at most maxLength characters, or null when absent (refused when required). */
    private static String string(JsonElement element, String field, int maxLength, boolean required) {
        if (element == null || element.isJsonNull()) {
            if (required) {
                throw JSON.bad(field + ": missing");
            }
            return null;
        }
        if (!(element instanceof JsonPrimitive p) || !p.isString()) {
            throw JSON.bad(field + ": must be a string, got " + JsonFields.kind(element));
        }
        String s = p.getAsString();
        if (s.length() > maxLength) {
            throw JSON.bad(field + ": at most " + maxLength + " characters, got " + s.length());
        }
        return s;
    }

    private static int colour(JsonElement element, String field, int index) {
        if (element == null || element.isJsonNull()) {
            return ObjectColours.forIndex(index);
        }
        if (element instanceof JsonPrimitive p && p.isString()) {
            String s = p.getAsString();
            if (s.matches("#[0-9a-fA-F]{6}")) {
                return Integer.parseInt(s.substring(1), 16);
            }
        }
        throw JSON.bad(field + ": must be a colour \"#rrggbb\", got " + JsonFields.kind(element));
    }

    private static CocoSegmentation segmentation(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return CocoSegmentation.POLYGON;
        }
        CocoSegmentation s = null;
        if (element instanceof JsonPrimitive p && p.isString()) {
            s = CocoSegmentation.fromWireName(p.getAsString());
        }
        if (s == null) {
            throw JSON.bad("segmentation: must be \"polygon\" or \"rle\", got " + JsonFields.kind(element));
        }
        return s;
    }

    private static double tolerance(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return MaskOutline.DEFAULT_TOLERANCE;
        }
        double tolerance = JSON.finite(element, "tolerance");
        if (tolerance < 0 || tolerance > MaskOutline.MAX_TOLERANCE) {
            throw JSON.bad("tolerance: must be between 0 and " + (int) MaskOutline.MAX_TOLERANCE + " pixels, got "
                    + element);
        }
        return tolerance;
    }
}

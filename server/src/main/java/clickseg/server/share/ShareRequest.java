package clickseg.server.share;

import clickseg.prompt.Prompt;
import clickseg.server.ApiException;
import clickseg.server.ImageLibrary;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A POST /api/shares body, checked field by field before anything is stored; every refusal is a 400 whose
 * message starts with the field it is about.
 *
 * <pre>
 * {"imageId": "&lt;64 hex&gt;", "modelId": "…", "title": "…" | null,
 *  "prompts": {"points": [[x, y], …], "labels": [1 | 0, …], "box": [x0, y0, x1, y1] | null, "maskIndex": 0..3 | null},
 *  "mask": {"size": [height, width], "counts": "&lt;COCO compressed RLE&gt;"}}
 * </pre>
 *
 * @param pointXy   (P, 2) original image pixels
 * @param labels    (P) 1 foreground, 0 background
 * @param box       (4) x0, y0, x1, y1, or null
 * @param maskIndex which of the decoder's masks the author kept (0..3), or -1 when not said
 * @param maskSize  (2) height, width as the client says; checked against the image by the caller
 */
public record ShareRequest(String imageId, String modelId, String title, float[] pointXy, int[] labels, float[] box,
                           int maskIndex, int[] maskSize, String maskCounts) {
    /** Longest title in characters; longer ones are refused rather than cut, so the author sees what is kept. */
    public static final int MAX_TITLE_CHARS = 200;
    /** Longest counts string: a mask with more runs than this is noise, not a segmentation. */
    public static final int MAX_COUNTS_CHARS = 512 << 10;
    private static final Set<String> FIELDS = Set.of("imageId", "modelId", "title", "prompts", "mask");
    private static final Set<String> PROMPT_FIELDS = Set.of("points", "labels", "box", "maskIndex");
    private static final Set<String> MASK_FIELDS = Set.of("size", "counts");

    public static ShareRequest parse(byte[] body) {
        JsonObject json = parseObject(body);
        onlyFields(json, FIELDS, "");
        String imageId = requiredString(json, "imageId");
        if (!ImageLibrary.isValidId(imageId)) {
            throw bad("imageId: an image id is 64 lowercase hex digits (the sha256 of its bytes)");
        }
        String modelId = requiredString(json, "modelId");
        String title = title(json.get("title"));

        JsonObject prompts = object(json.get("prompts"), "prompts");
        onlyFields(prompts, PROMPT_FIELDS, "prompts.");
        float[] pointXy = points(prompts.get("points"));
        int[] labels = labels(prompts.get("labels"), pointXy.length / 2);
        float[] box = box(prompts.get("box"));
        int maskIndex = maskIndex(prompts.get("maskIndex"));

        JsonObject mask = object(json.get("mask"), "mask");
        onlyFields(mask, MASK_FIELDS, "mask.");
        int[] size = size(mask.get("size"));
        String counts = requiredString(mask, "counts", "mask.");
        if (counts.length() > MAX_COUNTS_CHARS) {
            throw bad("mask.counts: " + counts.length() + " characters, more than " + MAX_COUNTS_CHARS);
        }
        return new ShareRequest(imageId, modelId, title, pointXy, labels, box, maskIndex, size, counts);
    }

    /** Refuses prompts outside the image {@code [0, width] × [0, height]}. */
    public void checkInside(int width, int height) {
        for (int i = 0; i < labels.length; i++) {
            float x = pointXy[2 * i];
            float y = pointXy[2 * i + 1];
            if (x < 0 || x > width || y < 0 || y > height) {
                throw bad("prompts.points[" + i + "]: (" + x + ", " + y + ") is outside the image, whose pixels span 0.."
                        + width + " x 0.." + height);
            }
        }
        if (box != null && (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height)) {
            throw bad("prompts.box: reaches outside the image, whose pixels span 0.." + width + " x 0.." + height);
        }
    }

    /** The prompts as the stored JSON text, from the checked values. */
    public JsonObject promptsJson() {
        JsonObject prompts = new JsonObject();
        JsonArray points = new JsonArray();
        for (int i = 0; i < labels.length; i++) {
            JsonArray point = new JsonArray();
            point.add(pointXy[2 * i]);
            point.add(pointXy[2 * i + 1]);
            points.add(point);
        }
        prompts.add("points", points);
        JsonArray labelArray = new JsonArray();
        for (int label : labels) {
            labelArray.add(label);
        }
        prompts.add("labels", labelArray);
        if (box == null) {
            prompts.add("box", null);
        } else {
            JsonArray boxArray = new JsonArray();
            for (float v : box) {
                boxArray.add(v);
            }
            prompts.add("box", boxArray);
        }
        prompts.add("maskIndex", maskIndex < 0 ? null : new JsonPrimitive(maskIndex));
        return prompts;
    }

    // ---- fields --------------------------------------------------------------------------------

    private static String title(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!isString(element)) {
            throw bad("title: must be a string or null, got " + kind(element));
        }
        String title = element.getAsString().strip();
        if (title.codePointCount(0, title.length()) > MAX_TITLE_CHARS) {
            throw bad("title: at most " + MAX_TITLE_CHARS + " characters");
        }
        for (int i = 0; i < title.length(); i++) {
            if (Character.isISOControl(title.charAt(i))) {
                throw bad("title: one line of text without control characters");
            }
        }
        return title.isEmpty() ? null : title;
    }

    private static float[] points(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return new float[0];
        }
        if (!element.isJsonArray()) {
            throw bad("prompts.points: must be an array of [x, y] pairs, got " + kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() > Prompt.MAX_POINTS) {
            throw bad("prompts.points: at most " + Prompt.MAX_POINTS + " points, got " + array.size());
        }
        float[] xy = new float[2 * array.size()]; // (P, 2)
        for (int i = 0; i < array.size(); i++) {
            JsonElement point = array.get(i);
            if (!point.isJsonArray() || point.getAsJsonArray().size() != 2) {
                throw bad("prompts.points[" + i + "]: must be an [x, y] pair, got " + kind(point));
            }
            xy[2 * i] = (float) finite(point.getAsJsonArray().get(0), "prompts.points[" + i + "][0]");
            xy[2 * i + 1] = (float) finite(point.getAsJsonArray().get(1), "prompts.points[" + i + "][1]");
        }
        return xy;
    }

    private static int[] labels(JsonElement element, int count) {
        if (element == null || element.isJsonNull()) {
            if (count > 0) {
                throw bad("prompts.labels: missing; give one label (1 foreground, 0 background) per point");
            }
            return new int[0];
        }
        if (!element.isJsonArray()) {
            throw bad("prompts.labels: must be an array of 1 or 0, got " + kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() != count) {
            throw bad("prompts.labels: " + array.size() + " labels for " + count + " points");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            double value = finite(array.get(i), "prompts.labels[" + i + "]");
            if (value != Prompt.FOREGROUND && value != Prompt.BACKGROUND) {
                throw bad("prompts.labels[" + i + "]: must be 1 (foreground) or 0 (background), got " + array.get(i));
            }
            labels[i] = (int) value;
        }
        return labels;
    }

    private static float[] box(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonArray() || element.getAsJsonArray().size() != 4) {
            throw bad("prompts.box: must be [x0, y0, x1, y1] or null, got " + kind(element));
        }
        float[] box = new float[4];
        for (int i = 0; i < 4; i++) {
            box[i] = (float) finite(element.getAsJsonArray().get(i), "prompts.box[" + i + "]");
        }
        if (box[2] < box[0] || box[3] < box[1]) {
            throw bad("prompts.box: x1 must be >= x0 and y1 >= y0");
        }
        return box;
    }

    private static int maskIndex(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return -1;
        }
        double value = finite(element, "prompts.maskIndex");
        if (value != Math.rint(value) || value < 0 || value > 3) {
            throw bad("prompts.maskIndex: must be 0, 1, 2, 3 or null, got " + element);
        }
        return (int) value;
    }

    private static int[] size(JsonElement element) {
        if (element == null || !element.isJsonArray() || element.getAsJsonArray().size() != 2) {
            throw bad("mask.size: must be [height, width], got " + kind(element));
        }
        int[] size = new int[2];
        for (int i = 0; i < 2; i++) {
            double v = finite(element.getAsJsonArray().get(i), "mask.size[" + i + "]");
            if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                throw bad("mask.size[" + i + "]: must be a positive whole number, got " + element.getAsJsonArray().get(i));
            }
            size[i] = (int) v;
        }
        return size;
    }

    // ---- JSON plumbing ---------------------------------------------------------------------------

    private static JsonObject parseObject(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "bad_json", "body: empty; send a JSON object {imageId, modelId, prompts, mask}");
        }
        JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        reader.setStrictness(Strictness.STRICT);
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ApiException(400, "bad_json", "body: unexpected text after the JSON object");
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new ApiException(400, "bad_json", "body: not valid JSON at " + reader.getPath()
                    + (rootCause(e) instanceof java.io.EOFException ? " (the text ends too early)" : ""));
        }
        if (!root.isJsonObject()) {
            throw new ApiException(400, "bad_json", "body: must be a JSON object, got " + kind(root));
        }
        return root.getAsJsonObject();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void onlyFields(JsonObject json, Set<String> fields, String prefix) {
        for (String key : json.keySet()) {
            if (!fields.contains(key)) {
                throw bad(prefix + key + " is not a field here (fields: " + String.join(", ", new java.util.TreeSet<>(fields))
                        + ")");
            }
        }
    }

    private static JsonObject object(JsonElement element, String field) {
        if (element == null || !element.isJsonObject()) {
            throw bad(field + ": must be an object, got " + kind(element));
        }
        return element.getAsJsonObject();
    }

    private static String requiredString(JsonObject json, String field) {
        return requiredString(json, field, "");
    }

    private static String requiredString(JsonObject json, String field, String prefix) {
        JsonElement element = json.get(field);
        if (!isString(element)) {
            throw bad(prefix + field + ": must be a string, got " + kind(element));
        }
        return element.getAsString();
    }

    private static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    private static double finite(JsonElement element, String field) {
        if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            throw bad(field + ": must be a number, got " + kind(element));
        }
        double value = element.getAsDouble();
        if (!Double.isFinite(value)) {
            throw bad(field + ": must be a finite number");
        }
        return value;
    }

    private static String kind(JsonElement element) {
        if (element == null) {
            return "nothing";
        }
        if (element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonArray()) {
            return "an array of " + element.getAsJsonArray().size();
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isString() ? "a string" : primitive.isBoolean() ? "a boolean" : "a number";
    }

    static ApiException bad(String message) {
        return new ApiException(400, "bad_request", message);
    }
}

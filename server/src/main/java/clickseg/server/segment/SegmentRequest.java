package clickseg.server.segment;

import clickseg.prompt.Prompt;
import clickseg.server.ApiException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One segment request, checked field by field: every refusal is a 400 whose message starts with the
 * field it is about ({@code points[2][0]}, {@code labels}, {@code box}, …), so a client can show it as is.
 *
 * <pre>
 * {"points": [[x, y], …], "labels": [1 | 0, …], "box": [x0, y0, x1, y1], "maskInput": "&lt;result id&gt;",
 *  "multimask": false, "format": "rle" | "png" | "polygon"}
 * </pre>
 * Coordinates are in original-image pixels (continuous: 0 ≤ x ≤ width, 0 ≤ y ≤ height). Every field is
 * optional, but there must be at least one point or a box; unknown fields are refused so that a typo
 * ({@code "point"}) is not silently ignored.
 *
 * @param pointXy   (P, 2) original pixels
 * @param labels    (P) 1 foreground, 0 background
 * @param box       (4) x0, y0, x1, y1 with x0 ≤ x1 and y0 ≤ y1, or null
 * @param maskInput a result id from an earlier answer on the same image, or null
 */
public record SegmentRequest(float[] pointXy, int[] labels, float[] box, String maskInput, boolean multimask,
                             MaskFormat format) {
    private static final Set<String> FIELDS = Set.of("points", "labels", "box", "maskInput", "multimask", "format");

    /** Parses and checks everything that does not depend on the image. */
    public static SegmentRequest parse(byte[] body) {
        JsonObject json = parseObject(body);
        for (String key : json.keySet()) {
            if (!FIELDS.contains(key)) {
                throw bad(key + " is not a field of a segment request (fields: points, labels, box, maskInput, "
                        + "multimask, format)");
            }
        }
        float[] pointXy = points(json.get("points"));
        int count = pointXy.length / 2;
        int[] labels = labels(json.get("labels"), count);
        float[] box = box(json.get("box"));
        if (count == 0 && box == null) {
            throw bad("points: give at least one point (with its label) or a box");
        }
        String maskInput = maskInput(json.get("maskInput"));
        boolean multimask = multimask(json.get("multimask"));
        MaskFormat format = format(json.get("format"));
        return new SegmentRequest(pointXy, labels, box, maskInput, multimask, format);
    }

    /** Refuses coordinates outside the image {@code [0, width] × [0, height]}. */
    public void checkInside(int width, int height) {
        for (int i = 0; i < labels.length; i++) {
            float x = pointXy[2 * i];
            float y = pointXy[2 * i + 1];
            if (x < 0 || x > width || y < 0 || y > height) {
                throw bad("points[" + i + "]: (" + x + ", " + y + ") is outside the image, whose pixels span 0.."
                        + width + " x 0.." + height);
            }
        }
        if (box != null && (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height)) {
            throw bad("box: [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3]
                    + "] reaches outside the image, whose pixels span 0.." + width + " x 0.." + height);
        }
    }

    public Prompt toPrompt() {
        Prompt prompt = Prompt.points(pointXy, labels);
        return box == null ? prompt : prompt.withBox(box[0], box[1], box[2], box[3]);
    }

    private static JsonObject parseObject(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "bad_json", "body: empty; send a JSON object such as "
                    + "{\"points\": [[x, y]], \"labels\": [1]}");
        }
        Reader text = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8);
        JsonReader reader = new JsonReader(text);
        reader.setStrictness(Strictness.STRICT); // no NaN, comments, single quotes or unquoted names
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ApiException(400, "bad_json", "body: unexpected text after the JSON object at "
                        + location(reader));
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new ApiException(400, "bad_json", "body: not valid JSON at " + location(reader) + " ("
                    + reason(e) + ")");
        }
        if (!root.isJsonObject()) {
            throw new ApiException(400, "bad_json", "body: must be a JSON object, got " + kind(root));
        }
        return root.getAsJsonObject();
    }

    /** Where the reader stopped, as a JSON path such as {@code points[0][1]}. */
    private static String location(JsonReader reader) {
        String path = reader.getPath(); // "$.points[0][1]"
        if (path.startsWith("$.") && path.length() > 2) {
            return path.substring(2);
        }
        return path.equals("$") || path.equals("$.") ? "the top level" : path;
    }

    /**
     * The innermost cause's message without Gson's advice to parse leniently, its position (the path says
     * it better) and its troubleshooting link.
     */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.io.EOFException) {
            return "the text ends too early";
        }
        String m = cause.getMessage();
        if (m == null) {
            return "unreadable";
        }
        int cut = m.indexOf(" at line ");
        if (cut < 0) {
            cut = m.indexOf("\nSee ");
        }
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "")
                .replace("com.google.gson.stream.MalformedJsonException: ", "").strip();
        return m.isEmpty() ? "malformed, e.g. NaN, single quotes, comments or trailing text" : m;
    }

    private static float[] points(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return new float[0];
        }
        if (!element.isJsonArray()) {
            throw bad("points: must be an array of [x, y] pairs, got " + kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() > Prompt.MAX_POINTS) {
            throw bad("points: at most " + Prompt.MAX_POINTS + " points per request, got " + array.size());
        }
        float[] xy = new float[2 * array.size()]; // (P, 2)
        for (int i = 0; i < array.size(); i++) {
            JsonElement point = array.get(i);
            if (!point.isJsonArray() || point.getAsJsonArray().size() != 2) {
                throw bad("points[" + i + "]: must be an [x, y] pair, got " + kind(point));
            }
            xy[2 * i] = (float) finite(point.getAsJsonArray().get(0), "points[" + i + "][0]");
            xy[2 * i + 1] = (float) finite(point.getAsJsonArray().get(1), "points[" + i + "][1]");
        }
        return xy;
    }

    private static int[] labels(JsonElement element, int count) {
        if (element == null || element.isJsonNull()) {
            if (count > 0) {
                throw bad("labels: missing; give one label (1 foreground, 0 background) per point");
            }
            return new int[0];
        }
        if (!element.isJsonArray()) {
            throw bad("labels: must be an array of 1 (foreground) or 0 (background), got " + kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() != count) {
            throw bad("labels: " + array.size() + " labels for " + count + " points; give one label per point");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            JsonElement label = array.get(i);
            double value = number(label, "labels[" + i + "]");
            if (value != Prompt.FOREGROUND && value != Prompt.BACKGROUND) {
                throw bad("labels[" + i + "]: must be 1 (foreground) or 0 (background), got " + label);
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
            throw bad("box: must be [x0, y0, x1, y1] (top-left, bottom-right), got " + kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        float[] box = new float[4];
        for (int i = 0; i < 4; i++) {
            box[i] = (float) finite(array.get(i), "box[" + i + "]");
        }
        if (box[2] < box[0] || box[3] < box[1]) {
            throw bad("box: [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3]
                    + "] must be top-left then bottom-right (x1 >= x0 and y1 >= y0)");
        }
        return box;
    }

    private static String maskInput(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw bad("maskInput: must be the id of an earlier result (a string), got " + kind(element));
        }
        return element.getAsString();
    }

    private static boolean multimask(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return false;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isBoolean()) {
            throw bad("multimask: must be true or false, got " + kind(element));
        }
        return element.getAsBoolean();
    }

    private static MaskFormat format(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return MaskFormat.RLE;
        }
        MaskFormat format = null;
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            format = MaskFormat.fromWireName(element.getAsString());
        }
        if (format == null) {
            throw bad("format: must be \"rle\", \"png\" or \"polygon\", got " + element);
        }
        return format;
    }

    private static double finite(JsonElement element, String field) {
        double value = number(element, field);
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw bad(field + ": must be a finite number, got " + element);
        }
        return value;
    }

    private static double number(JsonElement element, String field) {
        if (!(element instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
            throw bad(field + ": must be a number, got " + kind(element));
        }
        return primitive.getAsDouble();
    }

    private static String kind(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "an array of " + element.getAsJsonArray().size();
        }
        JsonPrimitive p = element.getAsJsonPrimitive();
        String text = p.toString();
        if (text.length() > 40) {
            text = text.substring(0, 40) + "…";
        }
        return (p.isString() ? "the string " : p.isBoolean() ? "the boolean " : "the number ") + text;
    }

    private static ApiException bad(String message) {
        return new ApiException(400, "bad_prompt", message);
    }
}

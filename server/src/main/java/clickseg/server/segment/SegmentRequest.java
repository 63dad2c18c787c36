package clickseg.server.segment;

import clickseg.export.MaskOutline;
import clickseg.mask.FirstClickPick;
import clickseg.prompt.Prompt;
import clickseg.server.json.JsonFields;
import clickseg.server.json.PromptFields;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Set;

/**
 * One segment request, checked field by field: every refusal is a 400 whose message starts with the
 * field it is about ({@code points[2][0]}, {@code labels}, {@code box}, …), so a client can show it as is.
 *
 * <pre>
 * {"points": [[x, y], …], "labels": [1 | 0, …], "box": [x0, y0, x1, y1], "maskInput": "&lt;result id&gt;",
 *  "multimask": false, "pick": "central" | "sam", "format": "rle" | "png" | "polygon" | "coco-polygon",
 *  "tolerance": 1.0}
 * </pre>
 * Coordinates are in original-image pixels (continuous: 0 ≤ x ≤ width, 0 ≤ y ≤ height). Every field is
 * optional, but there must be at least one point or a box; unknown fields are refused so that a typo
 * ({@code "point"}) is not silently ignored.
 *
 * @param prompt    points, labels and box in original pixels
 * @param maskInput a result id from an earlier answer on the same image, or null
 * @param pick      how a single click without multimask chooses among masks 1–3 ({@link FirstClickPick})
 * @param tolerance polygon simplification in pixels for {@code coco-polygon} (0 to
 *                  {@link MaskOutline#MAX_TOLERANCE}, default {@link MaskOutline#DEFAULT_TOLERANCE})
 */
public record SegmentRequest(PromptFields prompt, String maskInput, boolean multimask, FirstClickPick pick,
                             MaskFormat format, double tolerance) {
    private static final Set<String> FIELDS = Set.of("points", "labels", "box", "maskInput", "multimask", "pick",
            "format", "tolerance");
    private static final JsonFields JSON = new JsonFields("bad_prompt");

    /** Parses and checks everything that does not depend on the image. */
    public static SegmentRequest parse(byte[] body) {
        JsonObject json = JsonFields.object(body, "{\"points\": [[x, y]], \"labels\": [1]}");
        for (String key : json.keySet()) {
            if (!FIELDS.contains(key)) {
                throw JSON.bad(key + " is not a field of a segment request (fields: points, labels, box, maskInput, "
                        + "multimask, pick, format, tolerance)");
            }
        }
        PromptFields prompt = PromptFields.read(json.get("points"), json.get("labels"), json.get("box"), "", JSON);
        if (prompt.pointCount() == 0 && prompt.box() == null) {
            throw JSON.bad("points: give at least one point (with its label) or a box");
        }
        String maskInput = maskInput(json.get("maskInput"));
        boolean multimask = multimask(json.get("multimask"));
        FirstClickPick pick = pick(json.get("pick"));
        MaskFormat format = format(json.get("format"));
        double tolerance = tolerance(json.get("tolerance"), format);
        return new SegmentRequest(prompt, maskInput, multimask, pick, format, tolerance);
    }

    /** Refuses coordinates outside the image {@code [0, width] × [0, height]}. */
    public void checkInside(int width, int height) {
        prompt.checkInside(width, height, "", JSON);
    }

    public Prompt toPrompt() {
        return prompt.toPrompt();
    }

    /** Whether the answer is one of masks 1–3 chosen by {@link #pick}: a lone foreground click, nothing to refine. */
    public boolean isFirstClick() {
        return !multimask && maskInput == null && prompt.box() == null && prompt.pointCount() == 1
                && toPrompt().pointLabel(0) == Prompt.FOREGROUND;
    }

    private static FirstClickPick pick(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return FirstClickPick.DEFAULT;
        }
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            switch (element.getAsString()) {
                case "central":
                    return FirstClickPick.CENTRAL;
                case "sam":
                    return FirstClickPick.SAM;
                default:
                    break;
            }
        }
        throw JSON.bad("pick: must be \"central\" or \"sam\", got " + element);
    }

    private static String maskInput(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw JSON.bad("maskInput: must be the id of an earlier result (a string), got " + JsonFields.kind(element));
        }
        return element.getAsString();
    }

    private static boolean multimask(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return false;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isBoolean()) {
            throw JSON.bad("multimask: must be true or false, got " + JsonFields.kind(element));
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
            throw JSON.bad("format: must be \"rle\", \"png\", \"polygon\" or \"coco-polygon\", got " + element);
        }
        return format;
    }

    private static double tolerance(JsonElement element, MaskFormat format) {
        if (element == null || element.isJsonNull()) {
            return MaskOutline.DEFAULT_TOLERANCE;
        }
        if (format != MaskFormat.COCO_POLYGON) {
            throw JSON.bad("tolerance: applies to format \"coco-polygon\" only (this request's format is \""
                    + format.wireName() + "\")");
        }
        double tolerance = JSON.finite(element, "tolerance");
        if (tolerance < 0 || tolerance > MaskOutline.MAX_TOLERANCE) {
            throw JSON.bad("tolerance: must be between 0 and " + (int) MaskOutline.MAX_TOLERANCE + " pixels, got "
                    + element);
        }
        return tolerance;
    }
}

package clickseg.server.share;

import clickseg.server.ApiException;
import clickseg.server.ImageLibrary;
import clickseg.server.json.JsonFields;
import clickseg.prompt.PromptJson;
import clickseg.server.json.PromptFields;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A POST /api/shares body, checked field by field before anything is stored; every refusal is a 400 whose
 * message starts with the field it is about.
 *
 * <pre>
 * {"imageId": "&lt;64 hex&gt;", "modelId": "…", "title": "…" | null,
 *  "prompts": {"points": [[x, y], …], "labels": [1 | 0, …], "box": [x0, y0, x1, y1] | null, "maskIndex": 0..3 | null},
 *  "mask": {"size": [height, width], "counts": "&lt;COCO compressed RLE&gt;"},
 *  "objects": [{"id": 1, "label": "dog", "prompts": {…as above…}, "mask": {"size": […], "counts": "…"}}, …]}
 * </pre>
 * {@code objects} is optional: without it the share is one unlabelled object (prompts and mask); with it,
 * prompts and mask are still required (the current object, for readers that know only one).
 *
 * @param prompt    points, labels and box in original image pixels
 * @param maskIndex which of the decoder's masks the author kept (0..3), or -1 when not said
 * @param maskSize  (2) height, width as the client says; checked against the image by the caller
 * @param objects   every labelled object, in the author's order; empty when the body has no {@code objects}
 */
public record ShareRequest(String imageId, String modelId, String title, PromptFields prompt,
                           int maskIndex, int[] maskSize, String maskCounts, List<ShareObject> objects) {
    private static final JsonFields JSON = new JsonFields("bad_request");
    /** Longest title in characters; longer ones are refused rather than cut, so the author sees what is kept. */
    public static final int MAX_TITLE_CHARS = 200;
    /** Longest counts string: a mask with more runs than this is noise, not a segmentation. */
    public static final int MAX_COUNTS_CHARS = 512 << 10;
    private static final Set<String> FIELDS = Set.of("imageId", "modelId", "title", "prompts", "mask", "objects");
    private static final Set<String> OBJECT_FIELDS = Set.of("id", "label", "prompts", "mask");
    private static final Set<String> PROMPT_FIELDS = Set.of("points", "labels", "box", "maskIndex");
    private static final Set<String> MASK_FIELDS = Set.of("size", "counts");

    public static ShareRequest parse(byte[] body) {
        JsonObject json = JsonFields.object(body, "{imageId, modelId, prompts, mask}");
        onlyFields(json, FIELDS, "");
        String imageId = requiredString(json, "imageId");
        if (!ImageLibrary.isValidId(imageId)) {
            throw bad("imageId: an image id is 64 lowercase hex digits (the sha256 of its bytes)");
        }
        String modelId = requiredString(json, "modelId");
        String title = title(json.get("title"));

        JsonObject prompts = object(json.get("prompts"), "prompts");
        onlyFields(prompts, PROMPT_FIELDS, "prompts.");
        PromptFields prompt = PromptFields.read(prompts.get("points"), prompts.get("labels"), prompts.get("box"),
                "prompts.", JSON);
        int maskIndex = maskIndex(prompts.get("maskIndex"), "prompts.maskIndex");

        JsonObject mask = object(json.get("mask"), "mask");
        onlyFields(mask, MASK_FIELDS, "mask.");
        int[] size = size(mask.get("size"), "mask.size");
        String counts = requiredString(mask, "counts", "mask.");
        if (counts.length() > MAX_COUNTS_CHARS) {
            throw bad("mask.counts: " + counts.length() + " characters, more than " + MAX_COUNTS_CHARS);
        }
        List<ShareObject> objects = objects(json.get("objects"));
        return new ShareRequest(imageId, modelId, title, prompt, maskIndex, size, counts, objects);
    }

    private static List<ShareObject> objects(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return List.of();
        }
        if (!element.isJsonArray()) {
            throw bad("objects: must be an array of objects, got " + JsonFields.kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.isEmpty() || array.size() > ShareObject.MAX_OBJECTS) {
            throw bad("objects: from 1 to " + ShareObject.MAX_OBJECTS + " objects, got " + array.size());
        }
        List<ShareObject> objects = new ArrayList<>(array.size());
        Set<Integer> ids = new HashSet<>();
        long countsChars = 0;
        for (int i = 0; i < array.size(); i++) {
            String at = "objects[" + i + "].";
            JsonObject json = object(array.get(i), "objects[" + i + "]");
            onlyFields(json, OBJECT_FIELDS, at);
            double idValue = JSON.finite(json.get("id"), at + "id");
            if (idValue != Math.rint(idValue) || idValue < 1 || idValue > 1_000_000_000) {
                throw bad(at + "id: must be a whole number from 1 to 1000000000, got " + json.get("id"));
            }
            int id = (int) idValue;
            if (!ids.add(id)) {
                throw bad(at + "id: " + id + " is used by an earlier object");
            }
            String label = label(json.get("label"), at + "label");
            JsonObject prompts = object(json.get("prompts"), at + "prompts");
            onlyFields(prompts, PROMPT_FIELDS, at + "prompts.");
            PromptFields prompt = PromptFields.read(prompts.get("points"), prompts.get("labels"), prompts.get("box"),
                    at + "prompts.", JSON);
            int maskIndex = maskIndex(prompts.get("maskIndex"), at + "prompts.maskIndex");
            JsonObject mask = object(json.get("mask"), at + "mask");
            onlyFields(mask, MASK_FIELDS, at + "mask.");
            int[] size = mask.has("size") ? size(mask.get("size"), at + "mask.size") : null;
            String counts = requiredString(mask, "counts", at + "mask.");
            countsChars += counts.length();
            if (countsChars > MAX_COUNTS_CHARS) {
                throw bad(at + "mask.counts: the objects' counts take more than " + MAX_COUNTS_CHARS + " characters");
            }
            objects.add(new ShareObject(id, label, prompt, maskIndex, size, counts));
        }
        return objects;
    }

    private static String label(JsonElement element, String field) {
        if (element == null || element.isJsonNull()) {
            return "";
        }
        if (!isString(element)) {
            throw bad(field + ": must be a string, got " + JsonFields.kind(element));
        }
        String label = element.getAsString().strip();
        if (label.codePointCount(0, label.length()) > ShareObject.MAX_LABEL_CHARS) {
            throw bad(field + ": at most " + ShareObject.MAX_LABEL_CHARS + " characters");
        }
        for (int i = 0; i < label.length(); i++) {
            if (Character.isISOControl(label.charAt(i))) {
                throw bad(field + ": one line of text without control characters");
            }
        }
        return label;
    }

    /** Refuses prompts outside the image {@code [0, width] × [0, height]}. */
    public void checkInside(int width, int height) {
        prompt.checkInside(width, height, "prompts.", JSON);
        for (int i = 0; i < objects.size(); i++) {
            objects.get(i).prompt().checkInside(width, height, "objects[" + i + "].prompts.", JSON);
        }
    }

    /** The prompts as the stored JSON text, from the checked values. */
    public String promptsJson() {
        // shared's codec writes the prompt (the page and the embed read it with the same one); the mask
        // the author chose rides along
        String prompt = PromptJson.write(this.prompt.toPrompt());
        return prompt.substring(0, prompt.length() - 1) + ",\"maskIndex\":" + (maskIndex < 0 ? "null" : maskIndex) + "}";
    }

    // ---- fields --------------------------------------------------------------------------------

    private static String title(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!isString(element)) {
            throw bad("title: must be a string or null, got " + JsonFields.kind(element));
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

    private static int maskIndex(JsonElement element, String field) {
        if (element == null || element.isJsonNull()) {
            return -1;
        }
        double value = JSON.finite(element, field);
        if (value != Math.rint(value) || value < 0 || value > 3) {
            throw bad(field + ": must be 0, 1, 2, 3 or null, got " + element);
        }
        return (int) value;
    }

    private static int[] size(JsonElement element, String field) {
        if (element == null || !element.isJsonArray() || element.getAsJsonArray().size() != 2) {
            throw bad(field + ": must be [height, width], got " + JsonFields.kind(element));
        }
        int[] size = new int[2];
        for (int i = 0; i < 2; i++) {
            double v = JSON.finite(element.getAsJsonArray().get(i), field + "[" + i + "]");
            if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                throw bad(field + "[" + i + "]: must be a positive whole number, got " + element.getAsJsonArray().get(i));
            }
            size[i] = (int) v;
        }
        return size;
    }

    // ---- JSON plumbing ---------------------------------------------------------------------------

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
            throw bad(field + ": must be an object, got " + JsonFields.kind(element));
        }
        return element.getAsJsonObject();
    }

    private static String requiredString(JsonObject json, String field) {
        return requiredString(json, field, "");
    }

    private static String requiredString(JsonObject json, String field, String prefix) {
        JsonElement element = json.get(field);
        if (!isString(element)) {
            throw bad(prefix + field + ": must be a string, got " + JsonFields.kind(element));
        }
        return element.getAsString();
    }

    private static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    static ApiException bad(String message) {
        return JSON.bad(message);
    }
}

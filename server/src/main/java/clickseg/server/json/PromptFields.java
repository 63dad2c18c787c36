package clickseg.server.json;

import clickseg.prompt.Prompt;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

/**
 * The prompt of a JSON request, checked: {@code "points": [[x, y], …]}, {@code "labels": [1 | 0, …]},
 * {@code "box": [x0, y0, x1, y1] | null}, in original-image pixels. The segment API has them at the top level,
 * a share under {@code prompts.}; {@code prefix} puts that in front of every field an error names.
 *
 * @param pointXy (P, 2) original pixels
 * @param labels  (P) 1 foreground, 0 background
 * @param box     (4) x0, y0, x1, y1 with x0 ≤ x1 and y0 ≤ y1, or null
 */
public record PromptFields(float[] pointXy, int[] labels, float[] box) {

    public static PromptFields read(JsonElement points, JsonElement labels, JsonElement box, String prefix,
                                    JsonFields fields) {
        float[] xy = points(points, prefix, fields);
        return new PromptFields(xy, labels(labels, xy.length / 2, prefix, fields), box(box, prefix, fields));
    }

    public int pointCount() {
        return labels.length;
    }

    /** Refuses coordinates outside the image {@code [0, width] × [0, height]} (shared's one check). */
    public void checkInside(int width, int height, String prefix, JsonFields fields) {
        String problem = toPrompt().outsideOf(width, height);
        if (problem != null) {
            throw fields.bad(prefix + problem);
        }
    }

    public Prompt toPrompt() {
        Prompt prompt = Prompt.points(pointXy, labels);
        return box == null ? prompt : prompt.withBox(box[0], box[1], box[2], box[3]);
    }

    private static float[] points(JsonElement element, String prefix, JsonFields fields) {
        if (element == null || element.isJsonNull()) {
            return new float[0];
        }
        if (!element.isJsonArray()) {
            throw fields.bad(prefix + "points: must be an array of [x, y] pairs, got " + JsonFields.kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() > Prompt.MAX_POINTS) {
            throw fields.bad(prefix + "points: at most " + Prompt.MAX_POINTS + " points, got " + array.size());
        }
        float[] xy = new float[2 * array.size()]; // (P, 2)
        for (int i = 0; i < array.size(); i++) {
            JsonElement point = array.get(i);
            String field = prefix + "points[" + i + "]";
            if (!point.isJsonArray() || point.getAsJsonArray().size() != 2) {
                throw fields.bad(field + ": must be an [x, y] pair, got " + JsonFields.kind(point));
            }
            xy[2 * i] = (float) fields.finite(point.getAsJsonArray().get(0), field + "[0]");
            xy[2 * i + 1] = (float) fields.finite(point.getAsJsonArray().get(1), field + "[1]");
        }
        return xy;
    }

    private static int[] labels(JsonElement element, int count, String prefix, JsonFields fields) {
        if (element == null || element.isJsonNull()) {
            if (count > 0) {
                throw fields.bad(prefix + "labels: missing; give one label (1 foreground, 0 background) per point");
            }
            return new int[0];
        }
        if (!element.isJsonArray()) {
            throw fields.bad(prefix + "labels: must be an array of 1 (foreground) or 0 (background), got "
                    + JsonFields.kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        if (array.size() != count) {
            throw fields.bad(prefix + "labels: " + array.size() + " labels for " + count + " points; give one label "
                    + "per point");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            JsonElement label = array.get(i);
            double value = fields.number(label, prefix + "labels[" + i + "]");
            if (value != Prompt.FOREGROUND && value != Prompt.BACKGROUND) {
                throw fields.bad(prefix + "labels[" + i + "]: must be 1 (foreground) or 0 (background), got " + label);
            }
            labels[i] = (int) value;
        }
        return labels;
    }

    private static float[] box(JsonElement element, String prefix, JsonFields fields) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonArray() || element.getAsJsonArray().size() != 4) {
            throw fields.bad(prefix + "box: must be [x0, y0, x1, y1] (top-left, bottom-right), got "
                    + JsonFields.kind(element));
        }
        JsonArray array = element.getAsJsonArray();
        float[] box = new float[4];
        for (int i = 0; i < 4; i++) {
            box[i] = (float) fields.finite(array.get(i), prefix + "box[" + i + "]");
        }
        if (box[2] < box[0] || box[3] < box[1]) {
            throw fields.bad(prefix + "box: [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3]
                    + "] must be top-left then bottom-right (x1 >= x0 and y1 >= y0)");
        }
        return box;
    }
}

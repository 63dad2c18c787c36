package clickseg.server.json;

import clickseg.prompt.Prompt;
import clickseg.prompt.PromptJson;
import com.google.gson.JsonElement;

/**
 * The prompt of a JSON request, read by shared's {@link PromptJson} (the page and the embed read prompts
 * with the same code, so all of them accept and refuse the same things): {@code "points": [[x, y], …]},
 * {@code "labels": [1 | 0, …]}, {@code "box": [x0, y0, x1, y1] | null}, in original-image pixels. The
 * segment API has them at the top level, a share under {@code prompts.}; {@code prefix} puts that in
 * front of every field an error names.
 *
 * @param pointXy (P, 2) original pixels
 * @param labels  (P) 1 foreground, 0 background
 * @param box     (4) x0, y0, x1, y1 with x0 ≤ x1 and y0 ≤ y1, or null
 */
public record PromptFields(float[] pointXy, int[] labels, float[] box) {

    public static PromptFields read(JsonElement points, JsonElement labels, JsonElement box, String prefix,
                                    JsonFields fields) {
        // Gson has parsed the request; the three values go back to text (at most a few KB under the body
        // limits) so that shared's reader, not a second set of rules here, decides what a prompt is.
        String text = "{\"points\":" + text(points) + ",\"labels\":" + text(labels) + ",\"box\":" + text(box) + "}";
        Prompt prompt;
        try {
            prompt = PromptJson.read(text);
        } catch (PromptJson.BadPrompt bad) {
            throw fields.bad(prefix + bad.getMessage());
        }
        float[] xy = new float[2 * prompt.pointCount()];
        int[] pointLabels = new int[prompt.pointCount()];
        for (int i = 0; i < pointLabels.length; i++) {
            xy[2 * i] = prompt.pointX(i);
            xy[2 * i + 1] = prompt.pointY(i);
            pointLabels[i] = prompt.pointLabel(i);
        }
        return new PromptFields(xy, pointLabels, prompt.box());
    }

    private static String text(JsonElement element) {
        return element == null ? "null" : element.toString();
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
}

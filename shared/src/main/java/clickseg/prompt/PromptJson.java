package clickseg.prompt;

import clickseg.wire.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * The prompt's one JSON form, read and written the same way by the server (segment requests, shares),
 * the page (share links, the share dialog) and the embed bridge (the host's setPrompts):
 * <pre>
 * {"points": [[x, y], …], "labels": [1 | 0, …], "box": [x0, y0, x1, y1] | null}
 * </pre>
 * in original-image pixels; every field is optional (a prompt may be empty here; callers that need
 * one point or a box say so). A refusal is a {@link BadPrompt} whose message starts with the field it
 * is about ({@code points[2][0]: …}, {@code labels: …}, {@code box: …}), so it can be shown as is.
 */
public final class PromptJson {
    /** A prompt that cannot be read; the message names the field. */
    public static final class BadPrompt extends IllegalArgumentException {
        public BadPrompt(String message) {
            super(message);
        }
    }

    private PromptJson() {
    }

    /** Reads an object text with the fields above (others are ignored here). */
    public static Prompt read(String objectText) {
        Object parsed;
        try {
            parsed = JsonValue.parse(objectText);
        } catch (IllegalArgumentException notJson) {
            throw new BadPrompt("prompt: " + notJson.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new BadPrompt("prompt: must be an object {points, labels, box}, got " + JsonValue.kind(parsed));
        }
        Map<?, ?> object = (Map<?, ?>) parsed;
        return read(object.get("points"), object.get("labels"), object.get("box"));
    }

    /** Reads the three fields as parsed by {@link JsonValue} (null or {@link JsonValue#NULL} when absent). */
    public static Prompt read(Object points, Object labels, Object box) {
        float[] xy = points(points);
        int[] pointLabels = labels(labels, xy.length / 2);
        Prompt prompt = Prompt.points(xy, pointLabels);
        float[] b = box(box);
        return b == null ? prompt : prompt.withBox(b[0], b[1], b[2], b[3]);
    }

    /**
     * A prompt given whole by someone else (the embed's host): readable, not empty, a box with a real area,
     * and everything inside the image.
     */
    public static Prompt readInside(String objectText, int width, int height) {
        Prompt prompt = read(objectText);
        if (prompt.isEmpty()) {
            throw new BadPrompt("points: give at least one point (with its label) or a box");
        }
        float[] b = prompt.box();
        if (b != null && !(b[2] > b[0] && b[3] > b[1])) {
            throw new BadPrompt("box: [x0, y0, x1, y1] needs x1 > x0 and y1 > y0");
        }
        String outside = prompt.outsideOf(width, height);
        if (outside != null) {
            throw new BadPrompt(outside);
        }
        return prompt;
    }

    /** The object text for a prompt: {@code {"points":[[x,y],…],"labels":[…],"box":[…]|null}}. */
    public static String write(Prompt prompt) {
        StringBuilder json = new StringBuilder("{\"points\":[");
        for (int i = 0; i < prompt.pointCount(); i++) {
            json.append(i == 0 ? "[" : ",[").append(number(prompt.pointX(i))).append(',')
                    .append(number(prompt.pointY(i))).append(']');
        }
        json.append("],\"labels\":[");
        for (int i = 0; i < prompt.pointCount(); i++) {
            json.append(i == 0 ? "" : ",").append(prompt.pointLabel(i));
        }
        json.append("],\"box\":");
        float[] b = prompt.box();
        if (b == null) {
            json.append("null");
        } else {
            json.append('[').append(number(b[0])).append(',').append(number(b[1])).append(',')
                    .append(number(b[2])).append(',').append(number(b[3])).append(']');
        }
        return json.append('}').toString();
    }

    /** A coordinate as its float reads (no widening digits), whole pixels without a fraction. */
    private static String number(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7f) {
            return String.valueOf((long) v);
        }
        return Float.toString(v);
    }

    private static boolean absent(Object value) {
        return value == null || value == JsonValue.NULL;
    }

    private static float[] points(Object value) {
        if (absent(value)) {
            return new float[0];
        }
        if (!(value instanceof List)) {
            throw new BadPrompt("points: must be an array of [x, y] pairs, got " + JsonValue.kind(value));
        }
        List<?> list = (List<?>) value;
        if (list.size() > Prompt.MAX_POINTS) {
            throw new BadPrompt("points: at most " + Prompt.MAX_POINTS + " points, got " + list.size());
        }
        float[] xy = new float[2 * list.size()]; // (P, 2)
        for (int i = 0; i < list.size(); i++) {
            Object point = list.get(i);
            String field = "points[" + i + "]";
            if (!(point instanceof List) || ((List<?>) point).size() != 2) {
                throw new BadPrompt(field + ": must be an [x, y] pair, got " + JsonValue.kind(point));
            }
            xy[2 * i] = finite(((List<?>) point).get(0), field + "[0]");
            xy[2 * i + 1] = finite(((List<?>) point).get(1), field + "[1]");
        }
        return xy;
    }

    private static int[] labels(Object value, int count) {
        if (absent(value)) {
            if (count > 0) {
                throw new BadPrompt("labels: missing; give one label (1 foreground, 0 background) per point");
            }
            return new int[0];
        }
        if (!(value instanceof List)) {
            throw new BadPrompt("labels: must be an array of 1 (foreground) or 0 (background), got "
                    + JsonValue.kind(value));
        }
        List<?> list = (List<?>) value;
        if (list.size() != count) {
            throw new BadPrompt("labels: " + list.size() + " labels for " + count + " points; give one label per point");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            Object label = list.get(i);
            if (!(label instanceof Double)) {
                throw new BadPrompt("labels[" + i + "]: must be a number, got " + JsonValue.kind(label));
            }
            double v = (Double) label;
            if (v != Prompt.FOREGROUND && v != Prompt.BACKGROUND) {
                throw new BadPrompt("labels[" + i + "]: must be 1 (foreground) or 0 (background), got "
                        + JsonValue.kind(label));
            }
            labels[i] = (int) v;
        }
        return labels;
    }

    private static float[] box(Object value) {
        if (absent(value)) {
            return null;
        }
        if (!(value instanceof List) || ((List<?>) value).size() != 4) {
            throw new BadPrompt("box: must be [x0, y0, x1, y1] (top-left, bottom-right), got " + JsonValue.kind(value));
        }
        List<?> list = (List<?>) value;
        float[] box = new float[4];
        for (int i = 0; i < 4; i++) {
            box[i] = finite(list.get(i), "box[" + i + "]");
        }
        if (box[2] < box[0] || box[3] < box[1]) {
            throw new BadPrompt("box: [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3]
                    + "] must be top-left then bottom-right (x1 >= x0 and y1 >= y0)");
        }
        return box;
    }

    private static float finite(Object value, String field) {
        if (!(value instanceof Double)) {
            throw new BadPrompt(field + ": must be a number, got " + JsonValue.kind(value));
        }
        double v = (Double) value;
        if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
            throw new BadPrompt(field + ": must be a finite number, got " + JsonValue.kind(value));
        }
        return (float) v;
    }
}

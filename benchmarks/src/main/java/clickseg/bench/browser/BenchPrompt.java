package clickseg.bench.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One prompt, identical for every variant: points (x, y in original pixels) with labels
 * 1 foreground / 0 background, and an optional box (x0, y0, x1, y1).
 *
 * @param kind "click" (one foreground point), "multi" (several points, some background), "refine" (several
 *             points, decoded with the previous prompt's chosen mask as mask input) or "box"
 */
record BenchPrompt(String kind, float[] points, int[] labels, float[] box) {

    /** The shape bench.js reads: {kind, points: [[x, y], …], labels: […], box: [x0, y0, x1, y1] | null}. */
    Map<String, Object> toJson() {
        List<List<Float>> xy = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            xy.add(List.of(points[2 * i], points[2 * i + 1]));
        }
        List<Integer> l = new ArrayList<>();
        for (int label : labels) {
            l.add(label);
        }
        java.util.LinkedHashMap<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("kind", kind);
        json.put("points", xy);
        json.put("labels", l);
        json.put("box", box == null ? null : List.of(box[0], box[1], box[2], box[3]));
        return json;
    }
}

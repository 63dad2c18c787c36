package clickseg.export;

/**
 * Douglas–Peucker simplification of a closed ring: drops every vertex whose removal moves the outline by at
 * most {@code tolerance} pixels (perpendicular distance to the chord that replaces it). The ring is split at
 * two anchors that always stay, vertex 0 and the vertex farthest from it, so a closed outline keeps its
 * extent; each half is simplified on its own. Iterative (an explicit stack of spans): a traced outline can
 * have tens of thousands of vertices and recursion that deep would overflow.
 */
public final class PolygonSimplification {
    private PolygonSimplification() {
    }

    /**
     * @param ring closed ring x0, y0, x1, y1, … (the last vertex connects to the first)
     * @param tolerance in pixels; 0 or less returns the ring unchanged
     * @return the kept vertices in order, x0, y0, …: may have fewer than 3 vertices (the caller decides)
     */
    public static float[] simplify(float[] ring, double tolerance) {
        int n = ring.length / 2;
        if (tolerance <= 0 || n <= 3) {
            return ring.clone();
        }
        int far = 0;
        double farthest = -1;
        for (int i = 1; i < n; i++) {
            double dx = ring[2 * i] - ring[0];
            double dy = ring[2 * i + 1] - ring[1];
            double d = dx * dx + dy * dy;
            if (d > farthest) {
                farthest = d;
                far = i;
            }
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[far] = true;
        int[] stack = new int[64]; // pairs (from, to) of vertex indices; "to" may be n (vertex 0 again)
        int top = 0;
        stack[top++] = 0;
        stack[top++] = far;
        stack[top++] = far;
        stack[top++] = n;
        double limit = tolerance * tolerance;
        while (top > 0) {
            int to = stack[--top];
            int from = stack[--top];
            if (to - from < 2) {
                continue;
            }
            int a = from;
            int b = to % n;
            double ax = ring[2 * a];
            double ay = ring[2 * a + 1];
            double dx = ring[2 * b] - ax;
            double dy = ring[2 * b + 1] - ay;
            double length2 = dx * dx + dy * dy;
            int worst = -1;
            double worstDistance2 = limit;
            for (int i = from + 1; i < to; i++) {
                double px = ring[2 * i] - ax;
                double py = ring[2 * i + 1] - ay;
                double d2;
                if (length2 == 0) {
                    d2 = px * px + py * py;
                } else {
                    double cross = px * dy - py * dx;
                    d2 = cross * cross / length2;
                }
                if (d2 > worstDistance2) {
                    worstDistance2 = d2;
                    worst = i;
                }
            }
            if (worst >= 0) {
                keep[worst] = true;
                if (top + 4 > stack.length) {
                    stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                }
                stack[top++] = from;
                stack[top++] = worst;
                stack[top++] = worst;
                stack[top++] = to;
            }
        }
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        float[] out = new float[2 * kept];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[m++] = ring[2 * i];
                out[m++] = ring[2 * i + 1];
            }
        }
        return out;
    }
}

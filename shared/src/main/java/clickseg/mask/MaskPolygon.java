package clickseg.mask;

import clickseg.prompt.CoordinateTransform;
import java.util.ArrayList;
import java.util.List;

/**
 * The mask's outline as polygons, by marching squares on the 256×256 low-resolution logits at
 * level 0 — the same 0-level line the bilinear upsampling thresholds, found without building a
 * full-size image. Coordinates are continuous original-image pixels (0..width, 0..height):
 * low-res sample i sits at 1024-frame position (i + 0.5)·4, which scales by original/resized
 * size, then the rings are clipped to the image.
 *
 * <p>Rings are closed implicitly (the last point connects to the first). Outer boundaries and
 * holes wind in opposite directions: outer rings have positive {@link #signedArea} (counter-
 * clockwise in y-down image coordinates shows as clockwise on screen), holes negative. Saddle
 * cells are resolved by the cell-centre average, so diagonal touching is decided the same way
 * the bilinear surface decides it.
 */
public final class MaskPolygon {
    private static final int LOW_RES = MaskUpsampler.LOW_RES;

    private MaskPolygon() {
    }

    /** Rings of x0, y0, x1, y1, … for the logits (256, 256) at offset. */
    public static List<float[]> trace(float[] logits, int offset, CoordinateTransform transform) {
        // Sample grid padded with one ring of "outside" so that every contour closes.
        int gw = LOW_RES + 2;
        int gh = LOW_RES + 2;
        float[] grid = new float[gw * gh]; // (gh, gw)
        java.util.Arrays.fill(grid, -1f);
        for (int y = 0; y < LOW_RES; y++) {
            System.arraycopy(logits, offset + y * LOW_RES, grid, (y + 1) * gw + 1, LOW_RES);
        }
        float sx = 4f * transform.originalWidth() / transform.resizedWidth();
        float sy = 4f * transform.originalHeight() / transform.resizedHeight();
        return traceGrid(grid, gw, gh, sx, sy, transform.originalWidth(), transform.originalHeight());
    }

    /**
     * Rings for a mask that came as pixels (a stored share, a mask picked from everything), traced on
     * the mask itself, so the outline follows its pixels instead of a 256×256 stand-in's 4-pixel steps.
     * Masks with a side over maxSide are sampled at maxSide first (an outline step stays under
     * width / maxSide pixels), to bound the tracer's memory.
     */
    public static List<float[]> traceMask(BinaryMask mask, int maxSide) {
        int w = mask.width();
        int h = mask.height();
        int step = Math.max(1, (Math.max(w, h) + maxSide - 1) / maxSide);
        int cw = (w + step - 1) / step;
        int ch = (h + step - 1) / step;
        int gw = cw + 2;
        int gh = ch + 2;
        float[] grid = new float[gw * gh]; // (gh, gw): +1 inside, -1 outside, one ring of outside around
        java.util.Arrays.fill(grid, -1f);
        for (int y = 0; y < ch; y++) {
            int sy = Math.min(h - 1, y * step + step / 2);
            for (int x = 0; x < cw; x++) {
                int sx = Math.min(w - 1, x * step + step / 2);
                if (mask.get(sx, sy)) {
                    grid[(y + 1) * gw + x + 1] = 1f;
                }
            }
        }
        return traceGrid(grid, gw, gh, step, step, w, h);
    }

    /**
     * Marching squares on a padded grid whose sample (gx, gy) sits at ((gx − 0.5)·sx, (gy − 0.5)·sy) in
     * image pixels; rings clipped to [0, width] × [0, height].
     */
    private static List<float[]> traceGrid(float[] grid, int gw, int gh, float sx, float sy, int width, int height) {
        // Edge points: id 2·(y·gw + x) for the horizontal edge (x,y)-(x+1,y), +1 for the vertical (x,y)-(x,y+1).
        int edges = 2 * gw * gh;
        int[] next = new int[edges];
        java.util.Arrays.fill(next, -1);
        float[] px = new float[edges];
        float[] py = new float[edges];
        int[] crossing = new int[4];
        boolean[] exits = new boolean[4];
        for (int y = 0; y + 1 < gh; y++) {
            for (int x = 0; x + 1 < gw; x++) {
                float a = grid[y * gw + x];           // top-left
                float b = grid[y * gw + x + 1];       // top-right
                float c = grid[(y + 1) * gw + x + 1]; // bottom-right
                float d = grid[(y + 1) * gw + x];     // bottom-left
                boolean ia = a > 0;
                boolean ib = b > 0;
                boolean ic = c > 0;
                boolean id = d > 0;
                if (ia == ib && ib == ic && ic == id) {
                    continue;
                }
                // Walk the cell clockwise (in y-down coordinates): top, right, bottom, left edge.
                int n = 0;
                n = visit(ia, ib, a, b, 2 * (y * gw + x), x, y, 1, 0, n, crossing, exits, px, py, sx, sy);
                n = visit(ib, ic, b, c, 2 * (y * gw + x + 1) + 1, x + 1, y, 0, 1, n, crossing, exits, px, py, sx, sy);
                n = visit(ic, id, c, d, 2 * ((y + 1) * gw + x), x + 1, y + 1, -1, 0, n, crossing, exits, px, py, sx, sy);
                n = visit(id, ia, d, a, 2 * (y * gw + x) + 1, x, y + 1, 0, -1, n, crossing, exits, px, py, sx, sy);
                if (n == 2) {
                    int from = exits[0] ? 0 : 1;
                    next[crossing[from]] = crossing[1 - from];
                } else { // saddle: crossings alternate exit, entry, exit, entry around the cell
                    int first = exits[0] ? 0 : 1; // index of the first exit
                    boolean centreInside = (a + b + c + d) / 4f > 0;
                    // inside connected through the centre: each exit joins the entry after it (cutting off
                    // an outside corner); else the entry before it (cutting off an inside corner).
                    int e0 = first;
                    int e1 = (first + 2) % 4;
                    if (centreInside) {
                        next[crossing[e0]] = crossing[(e0 + 1) % 4];
                        next[crossing[e1]] = crossing[(e1 + 1) % 4];
                    } else {
                        next[crossing[e0]] = crossing[(e0 + 3) % 4];
                        next[crossing[e1]] = crossing[(e1 + 3) % 4];
                    }
                }
            }
        }
        List<float[]> rings = new ArrayList<>();
        float[] ring = new float[64];
        for (int start = 0; start < edges; start++) {
            if (next[start] < 0) {
                continue;
            }
            int length = 0;
            int e = start;
            while (next[e] >= 0) {
                if (length + 2 > ring.length) {
                    ring = java.util.Arrays.copyOf(ring, ring.length * 2);
                }
                ring[length++] = px[e];
                ring[length++] = py[e];
                int following = next[e];
                next[e] = -1;
                e = following;
            }
            float[] clipped = clip(java.util.Arrays.copyOf(ring, length), width, height);
            if (clipped.length >= 6 && Math.abs(signedArea(clipped)) > 0f) {
                rings.add(clipped);
            }
        }
        return rings;
    }

    /**
     * Records the crossing on the edge from corner p (value vp) to corner q, walking clockwise.
     * An exit goes from inside to outside; a contour segment runs from an exit to an entry.
     */
    private static int visit(boolean insideP, boolean insideQ, float vp, float vq, int edgeId, int x, int y, int dx,
                             int dy, int n, int[] crossing, boolean[] exits, float[] px, float[] py, float sx, float sy) {
        if (insideP == insideQ) {
            return n;
        }
        float t = vp / (vp - vq);
        // grid sample (gx, gy) is low-res pixel (gx - 1, gy - 1), centred at ((gx - 1) + 0.5)·4 in the 1024 frame
        px[edgeId] = (x + t * dx - 0.5f) * sx;
        py[edgeId] = (y + t * dy - 0.5f) * sy;
        crossing[n] = edgeId;
        exits[n] = insideP;
        return n + 1;
    }

    /** Shoelace area; positive for rings whose inside is on the right when walking in y-down coordinates. */
    public static float signedArea(float[] ring) {
        int n = ring.length / 2;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            sum += (double) ring[2 * i] * ring[2 * j + 1] - (double) ring[2 * j] * ring[2 * i + 1];
        }
        return (float) (sum / 2);
    }

    /** Sutherland–Hodgman against [0, width] × [0, height]. */
    static float[] clip(float[] ring, float width, float height) {
        float[] r = ring;
        r = clipEdge(r, 0, 0f, false);
        r = clipEdge(r, 0, width, true);
        r = clipEdge(r, 1, 0f, false);
        r = clipEdge(r, 1, height, true);
        return r;
    }

    private static float[] clipEdge(float[] ring, int axis, float limit, boolean keepBelow) {
        int n = ring.length / 2;
        if (n == 0) {
            return ring;
        }
        float[] out = new float[ring.length * 2 + 4];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            float ci = ring[2 * i + axis];
            float cj = ring[2 * j + axis];
            boolean inI = keepBelow ? ci <= limit : ci >= limit;
            boolean inJ = keepBelow ? cj <= limit : cj >= limit;
            if (inI) {
                out[m++] = ring[2 * i];
                out[m++] = ring[2 * i + 1];
            }
            if (inI != inJ) {
                float t = (limit - ci) / (cj - ci);
                float x = ring[2 * i] + t * (ring[2 * j] - ring[2 * i]);
                float y = ring[2 * i + 1] + t * (ring[2 * j + 1] - ring[2 * i + 1]);
                if (axis == 0) {
                    x = limit;
                } else {
                    y = limit;
                }
                out[m++] = x;
                out[m++] = y;
            }
        }
        return java.util.Arrays.copyOf(out, m);
    }
}

package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's outline as polygons for the exports: traced on the mask's pixels ({@link MaskPolygon#traceMask},
 * marching squares through the midpoints between inside and outside pixel centres), then simplified with
 * {@link PolygonSimplification} at a tolerance in pixels.
 *
 * <p>Coordinates are continuous image pixels: pixel (x, y) covers [x, x + 1) × [y, y + 1), so its centre is
 * (x + 0.5, y + 0.5), and a pixel is inside the outline when its centre is (even–odd rule). The unsimplified
 * rings rasterise back to the mask exactly. Outer rings have positive {@link MaskPolygon#signedArea}, holes
 * negative.
 *
 * <p>Degenerate rings: a hole that simplifies to fewer than 3 vertices (or no area) is dropped — it is
 * smaller than the tolerance; an outer ring that does keeps its unsimplified outline instead, so that no
 * object (however small) loses its polygon because of the tolerance.
 */
public final class MaskOutline {
    /** The default tolerance: one pixel keeps IoU ≥ 0.98 on the ground-truth photos (benchmarks/README.md). */
    public static final double DEFAULT_TOLERANCE = 1.0;
    /** Largest tolerance the exports accept, in pixels. */
    public static final double MAX_TOLERANCE = 50.0;
    /** Sides above this are traced on a sampled mask, bounding the tracer's memory (~24 bytes per pixel). */
    static final int TRACE_MAX_SIDE = 8192;

    private MaskOutline() {
    }

    /** Rings x0, y0, x1, y1, … (outer positive area, holes negative), in tracing order. */
    public static List<float[]> rings(BinaryMask mask, double tolerance) {
        List<float[]> rings = new ArrayList<>();
        for (float[] traced : traced(mask)) {
            boolean outer = MaskPolygon.signedArea(traced) > 0;
            float[] simple = PolygonSimplification.simplify(traced, tolerance);
            if (simple.length >= 6 && MaskPolygon.signedArea(simple) != 0f) {
                rings.add(simple);
            } else if (outer) {
                rings.add(traced);
            }
        }
        return rings;
    }

    /** The unsimplified rings, traced on the mask's bounding box only (offset back into image pixels). */
    static List<float[]> traced(BinaryMask mask) {
        int[] box = mask.boundingBox();
        if (box[2] == 0) {
            return new ArrayList<>();
        }
        int bx = box[0];
        int by = box[1];
        int bw = box[2];
        int bh = box[3];
        BinaryMask crop = new BinaryMask(bw, bh);
        byte[] from = mask.pixels();
        byte[] to = crop.pixels();
        for (int y = 0; y < bh; y++) {
            System.arraycopy(from, (by + y) * mask.width() + bx, to, y * bw, bw);
        }
        List<float[]> rings = MaskPolygon.traceMask(crop, TRACE_MAX_SIDE);
        for (float[] ring : rings) {
            for (int i = 0; i < ring.length; i += 2) {
                ring[i] += bx;
                ring[i + 1] += by;
            }
        }
        return rings;
    }

    /** Vertices over all rings. */
    public static int vertexCount(List<float[]> rings) {
        int n = 0;
        for (float[] ring : rings) {
            n += ring.length / 2;
        }
        return n;
    }
}

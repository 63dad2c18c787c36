package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's outline as polygons for the exports: traced on the mask's pixels ({@link MaskTracer}: marching
 * squares through the midpoints between inside and outside pixel centres, the rings of
 * {@link MaskPolygon#traceMask}), then simplified with
 * {@link PolygonSimplification} at a tolerance in pixels, with an IoU guard for small objects ({@link #rings}).
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
    /** The least IoU of an object's simplified polygon with its mask ({@link #rings}). */
    public static final double GUARD_IOU = 0.98;
    private static final double MIN_GUARDED_TOLERANCE = 0.125;
    /** Largest tolerance the exports accept, in pixels. */
    public static final double MAX_TOLERANCE = 50.0;

    private MaskOutline() {
    }

    /**
     * The exports' outline: rings x0, y0, x1, y1, … (outer positive area, holes negative), simplified at
     * {@code tolerance} unless that takes the polygon's rasterisation below IoU {@link #GUARD_IOU} with the
     * mask; then at half the tolerance, and so on (below 1/8 px, the traced rings themselves, which are exact).
     * Douglas–Peucker keeps every vertex within the tolerance of the outline, but on a small object a pixel is
     * a large share of the area (a disc of radius 8 at 1 px becomes a hexagon, IoU 0.94): the guard gives
     * small objects the finer tolerance they need and leaves large ones, where 1 px is far above the bar, alone.
     */
    public static List<float[]> rings(BinaryMask mask, double tolerance) {
        List<float[]> traced = traced(mask);
        if (tolerance <= 0 || traced.isEmpty()) {
            return traced;
        }
        int[] box = mask.boundingBox();
        for (double t = tolerance; t >= MIN_GUARDED_TOLERANCE; t /= 2) {
            List<float[]> simple = simplify(traced, t);
            if (PolygonRaster.iou(simple, mask, box[0], box[1], box[2], box[3]) >= GUARD_IOU) {
                return simple;
            }
        }
        return traced;
    }

    /** Plain Douglas–Peucker at the tolerance, without the IoU guard (for measuring what the guard adds). */
    public static List<float[]> simplified(BinaryMask mask, double tolerance) {
        return simplify(traced(mask), tolerance);
    }

    /** Each ring simplified; degenerate holes dropped, degenerate outer rings kept as traced. */
    static List<float[]> simplify(List<float[]> traced, double tolerance) {
        List<float[]> rings = new ArrayList<>();
        for (float[] ring : traced) {
            boolean outer = MaskPolygon.signedArea(ring) > 0;
            float[] simple = PolygonSimplification.simplify(ring, tolerance);
            if (simple.length >= 6 && MaskPolygon.signedArea(simple) != 0f) {
                rings.add(simple);
            } else if (outer) {
                rings.add(ring);
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
        List<float[]> rings = MaskTracer.trace(crop);
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

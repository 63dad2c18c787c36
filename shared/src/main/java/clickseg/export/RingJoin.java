package clickseg.export;

import clickseg.mask.MaskPolygon;
import java.util.ArrayList;
import java.util.List;

/**
 * Several rings as one polygon for formats that allow one polygon per shape (a COCO polygon part with holes,
 * a YOLO line): each further ring is attached to the polygon built so far by a zero-width bridge between
 * their closest vertices — out along the bridge, once around the ring, back the same way. Under the even–odd
 * rule (pycocotools' polygon rasteriser, OpenCV's fillPoly, SVG evenodd) the bridge's two edges cancel, so the
 * joined polygon covers exactly what the rings cover together: holes stay holes and separate parts stay parts.
 * This is what Ultralytics' own COCO converter does with multi-part segments (merge_multi_segment).
 */
public final class RingJoin {
    private RingJoin() {
    }

    /** One polygon x0, y0, … walking every ring; the first ring's vertex 0 starts it. */
    public static float[] join(List<float[]> rings) {
        if (rings.isEmpty()) {
            return new float[0];
        }
        float[] polygon = rings.get(0).clone();
        List<float[]> left = new ArrayList<>(rings.subList(1, rings.size()));
        while (!left.isEmpty()) {
            // the ring with the shortest bridge to what is joined so far goes next
            int bestRing = -1;
            int bestFrom = 0;
            int bestTo = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < left.size(); r++) {
                float[] ring = left.get(r);
                for (int i = 0; i < polygon.length; i += 2) {
                    for (int j = 0; j < ring.length; j += 2) {
                        double dx = polygon[i] - ring[j];
                        double dy = polygon[i + 1] - ring[j + 1];
                        double d = dx * dx + dy * dy;
                        if (d < best) {
                            best = d;
                            bestRing = r;
                            bestFrom = i;
                            bestTo = j;
                        }
                    }
                }
            }
            polygon = bridge(polygon, bestFrom, left.remove(bestRing), bestTo);
        }
        return polygon;
    }

    /** polygon[..from], ring[to..], ring[..to], polygon[from..]: both bridge ends appear twice. */
    private static float[] bridge(float[] polygon, int from, float[] ring, int to) {
        float[] out = new float[polygon.length + ring.length + 4];
        int m = 0;
        System.arraycopy(polygon, 0, out, m, from + 2);
        m += from + 2;
        System.arraycopy(ring, to, out, m, ring.length - to);
        m += ring.length - to;
        System.arraycopy(ring, 0, out, m, to + 2);
        m += to + 2;
        System.arraycopy(polygon, from, out, m, polygon.length - from);
        return out;
    }

    /**
     * Rings grouped by part: each outer ring (positive area) with the holes inside it, the smallest
     * enclosing outer ring taking a hole. A hole inside no outer ring (possible only after simplification)
     * joins the outer ring nearest to it in list order, the first.
     */
    public static List<List<float[]>> parts(List<float[]> rings) {
        List<float[]> outers = new ArrayList<>();
        List<List<float[]>> parts = new ArrayList<>();
        for (float[] ring : rings) {
            if (MaskPolygon.signedArea(ring) > 0) {
                outers.add(ring);
                List<float[]> part = new ArrayList<>();
                part.add(ring);
                parts.add(part);
            }
        }
        if (outers.isEmpty()) {
            return parts;
        }
        for (float[] ring : rings) {
            if (MaskPolygon.signedArea(ring) > 0) {
                continue;
            }
            int owner = 0;
            double ownerArea = Double.POSITIVE_INFINITY;
            for (int o = 0; o < outers.size(); o++) {
                double area = MaskPolygon.signedArea(outers.get(o));
                if (area < ownerArea && contains(outers.get(o), ring[0], ring[1])) {
                    owner = o;
                    ownerArea = area;
                }
            }
            parts.get(owner).add(ring);
        }
        return parts;
    }

    /** Even–odd point in polygon. */
    static boolean contains(float[] ring, double x, double y) {
        boolean inside = false;
        int n = ring.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = ring[2 * i];
            double yi = ring[2 * i + 1];
            double xj = ring[2 * j];
            double yj = ring[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }
}

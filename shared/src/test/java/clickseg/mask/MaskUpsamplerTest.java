package clickseg.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.prompt.CoordinateTransform;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskUpsamplerTest {
    /** Low-res logits of a disc: positive inside radius r (in low-res pixels) around (cx, cy). */
    static float[] disc(float cx, float cy, float r) {
        float[] logits = new float[256 * 256];
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                logits[y * 256 + x] = r - (float) Math.hypot(x - cx, y - cy);
            }
        }
        return logits;
    }

    @Test
    void the_upsampled_mask_matches_a_direct_two_stage_bilinear_resize() {
        CoordinateTransform t = new CoordinateTransform(300, 200); // resized 1024×683
        float[] logits = disc(100, 60, 30);
        float[] out = new float[300 * 200];
        new MaskUpsampler(t).upsample(logits, 0, out);
        // reference: sample the 1024 stage per pixel, then the original stage, straight from the definition
        for (int y = 0; y < 200; y += 7) {
            for (int x = 0; x < 300; x += 5) {
                double sx = Math.max(0, (x + 0.5) * t.resizedWidth() / 300.0 - 0.5);
                double sy = Math.max(0, (y + 0.5) * t.resizedHeight() / 200.0 - 0.5);
                double expected = bilinear(sx, sy, t.resizedWidth(), t.resizedHeight(),
                        (cx, cy) -> bilinear(Math.max(0, (cx + 0.5) / 4 - 0.5), Math.max(0, (cy + 0.5) / 4 - 0.5), 256, 256,
                                (lx, ly) -> logits[ly * 256 + lx]));
                assertEquals(expected, out[y * 300 + x], 1e-3, "pixel " + x + "," + y);
            }
        }
    }

    interface Sampler {
        double at(int x, int y);
    }

    static double bilinear(double sx, double sy, int w, int h, Sampler s) {
        sx = Math.min(sx, w - 1);
        sy = Math.min(sy, h - 1);
        int x0 = (int) sx;
        int y0 = (int) sy;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = sx - x0;
        double fy = sy - y0;
        double top = s.at(x0, y0) * (1 - fx) + s.at(x1, y0) * fx;
        double bottom = s.at(x0, y1) * (1 - fx) + s.at(x1, y1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Test
    void the_polygon_outline_encloses_the_same_pixels_as_the_upsampled_mask() {
        CoordinateTransform t = new CoordinateTransform(640, 480);
        float[] logits = disc(120, 90, 40);
        // a hole and a second blob
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                float hole = (float) Math.hypot(x - 120, y - 90) - 12f;
                logits[y * 256 + x] = Math.min(logits[y * 256 + x], hole);
                logits[y * 256 + x] = Math.max(logits[y * 256 + x], 15f - (float) Math.hypot(x - 200, y - 40));
            }
        }
        BinaryMask mask = new MaskUpsampler(t).toMask(logits, 0);
        List<float[]> rings = MaskPolygon.trace(logits, 0, t);
        assertEquals(3, rings.size(), "disc outline, its hole, the second blob");
        int positive = 0;
        for (float[] ring : rings) {
            positive += MaskPolygon.signedArea(ring) > 0 ? 1 : 0;
        }
        assertEquals(2, positive, "two outer rings, one hole winding the other way");
        long same = 0;
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                boolean inside = windingInside(rings, x + 0.5f, y + 0.5f);
                same += inside == mask.get(x, y) ? 1 : 0;
            }
        }
        double agreement = same / (640.0 * 480.0);
        assertTrue(agreement > 0.999, "polygon vs raster agreement " + agreement);
    }

    @Test
    void a_mask_touching_the_image_border_is_closed_along_the_border() {
        CoordinateTransform t = new CoordinateTransform(1024, 1024);
        float[] logits = disc(0, 0, 50); // a quarter disc in the top-left corner
        List<float[]> rings = MaskPolygon.trace(logits, 0, t);
        assertEquals(1, rings.size());
        for (int i = 0; i < rings.get(0).length; i++) {
            assertTrue(rings.get(0)[i] >= 0f && rings.get(0)[i] <= 1024f);
        }
        double area = Math.abs(MaskPolygon.signedArea(rings.get(0)));
        double expected = Math.PI * (50 * 4) * (50 * 4) / 4;
        assertEquals(expected, area, expected * 0.03);
    }

    /** Even-odd rule across all rings (holes included). */
    static boolean windingInside(List<float[]> rings, float px, float py) {
        boolean inside = false;
        for (float[] r : rings) {
            int n = r.length / 2;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                float xi = r[2 * i];
                float yi = r[2 * i + 1];
                float xj = r[2 * j];
                float yj = r[2 * j + 1];
                if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }
}

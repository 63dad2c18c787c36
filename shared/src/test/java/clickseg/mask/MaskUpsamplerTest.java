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

    /** Logits -1 left of column `edge` and +1 from it on, (256, 256). */
    static float[] verticalStep(int edge) {
        float[] logits = new float[256 * 256];
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                logits[y * 256 + x] = x < edge ? -1f : 1f;
            }
        }
        return logits;
    }

    @Test
    void a_step_between_logit_columns_127_and_128_lands_between_pixels_511_and_512_of_a_1024_image() {
        // 256 -> 1024 half-pixel samples logit coordinate (u + 0.5) / 4 - 0.5, which passes 127.5 at u = 511.5.
        BinaryMask mask = new BinaryMask(1024, 1024);
        long area = new MaskUpsampler(new CoordinateTransform(1024, 1024)).toMask(verticalStep(128), 0, mask);
        assertEquals(512 * 1024, area);
        assertEquals(area, mask.area());
        assertEquals(false, mask.get(511, 100));
        assertEquals(true, mask.get(512, 100));
    }

    @Test
    void the_padded_bottom_of_a_wide_image_never_reaches_the_mask() {
        // A 2000x1000 image fills only the top 1024x512 of the encoder frame: logit rows 0..127.
        float[] logits = new float[256 * 256];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = i / 256 >= 128 ? 5f : -5f;
        }
        assertEquals(0, new MaskUpsampler(new CoordinateTransform(2000, 1000)).toMask(logits, 0).area());
    }

    @Test
    void the_offset_selects_which_of_the_four_masks_is_upsampled() {
        float[] logits = new float[4 * 256 * 256];
        java.util.Arrays.fill(logits, 0, 256 * 256, -1f);
        java.util.Arrays.fill(logits, 2 * 256 * 256, 3 * 256 * 256, 1f);
        MaskUpsampler upsampler = new MaskUpsampler(new CoordinateTransform(300, 200));
        assertEquals(300 * 200, upsampler.toMask(logits, 2 * 256 * 256).area());
        assertEquals(0, upsampler.toMask(logits, 0).area());
    }

    @Test
    void a_coarser_preview_grid_covers_the_same_fraction_of_the_image_as_the_full_mask() {
        MaskUpsampler upsampler = new MaskUpsampler(new CoordinateTransform(1000, 700));
        float[] logits = disc(100, 70, 33);
        BinaryMask full = upsampler.toMask(logits, 0);
        BinaryMask preview = new BinaryMask(250, 175);
        upsampler.toMask(logits, 0, preview);
        double fullFraction = full.area() / (1000.0 * 700.0);
        double previewFraction = preview.area() / (250.0 * 175.0);
        assertEquals(fullFraction, previewFraction, 0.002, "a 4x coarser grid moves the edge by under one of its cells");
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

package clickseg.mask;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskPolygonTraceMaskTest {
    private static BinaryMask rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                mask.set(x, y, true);
            }
        }
        return mask;
    }

    @Test
    void a_rectangle_of_pixels_is_outlined_along_its_pixel_edges_not_in_four_pixel_steps() {
        List<float[]> rings = MaskPolygon.traceMask(rectangle(300, 200, 10, 5, 29, 14), 1024);
        assertEquals(1, rings.size());
        // 20 × 10 pixels; the tracer cuts each corner pixel's outer quarter-triangle (4 × 0.125).
        assertEquals(199.5, Math.abs(MaskPolygon.signedArea(rings.get(0))), 1e-3);
        float[] ring = rings.get(0);
        for (int i = 0; i < ring.length; i += 2) {
            assertTrue(ring[i] >= 9.5f && ring[i] <= 30.5f && ring[i + 1] >= 4.5f && ring[i + 1] <= 15.5f,
                    "within half a pixel of the rectangle: " + ring[i] + ", " + ring[i + 1]);
        }
    }

    @Test
    void a_mask_larger_than_the_limit_is_sampled_and_still_closes_around_its_object() {
        List<float[]> rings = MaskPolygon.traceMask(rectangle(4000, 3000, 1000, 1000, 2999, 1999), 1000);
        assertEquals(1, rings.size());
        double area = Math.abs(MaskPolygon.signedArea(rings.get(0)));
        assertEquals(2000.0 * 1000.0, area, 2000.0 * 1000.0 * 0.01);
    }

    @Test
    void a_mask_touching_the_image_edge_is_clipped_to_the_image() {
        List<float[]> rings = MaskPolygon.traceMask(rectangle(50, 40, 0, 0, 49, 39), 1024);
        assertEquals(1, rings.size());
        assertEquals(2000.0, Math.abs(MaskPolygon.signedArea(rings.get(0))), 1.0);
    }
}

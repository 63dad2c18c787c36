package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskOutlineTest {
    /** The bar for the default tolerance, on the ground-truth photos and here on synthetic shapes. */
    private static final double MIN_IOU = 0.98;

    private static boolean[] raster(List<float[]> rings, int width, int height) {
        List<double[]> polygons = new ArrayList<>();
        for (float[] ring : rings) {
            polygons.add(EvenOddRaster.toDouble(ring));
        }
        return EvenOddRaster.fill(polygons, width, height);
    }

    private static List<BinaryMask> shapes() {
        return List.of(
                TestShapes.disc(200, 150, 100.3, 70.7, 50),
                TestShapes.disc(64, 64, 30, 30, 8),
                TestShapes.ring(240, 240, 120, 118, 90, 40),
                TestShapes.bar(300, 200, 20, 30, 280, 170, 4),
                TestShapes.bar(300, 200, 20, 180, 250, 20, 2.5),
                TestShapes.union(TestShapes.disc(300, 200, 70, 100, 40), TestShapes.ring(300, 200, 210, 100, 60, 25)));
    }

    @Test
    void the_traced_rings_rasterise_back_to_exactly_the_mask() {
        for (BinaryMask mask : shapes()) {
            List<float[]> rings = MaskOutline.rings(mask, 0);
            assertEquals(1.0, TestShapes.iou(mask, raster(rings, mask.width(), mask.height())), 0.0);
        }
    }

    @Test
    void at_the_default_tolerance_discs_rings_with_holes_and_thin_bars_keep_iou_at_least_0_98_with_far_fewer_vertices() {
        for (BinaryMask mask : shapes()) {
            List<float[]> raw = MaskOutline.rings(mask, 0);
            List<float[]> simple = MaskOutline.rings(mask, MaskOutline.DEFAULT_TOLERANCE);
            double iou = TestShapes.iou(mask, raster(simple, mask.width(), mask.height()));
            int before = MaskOutline.vertexCount(raw);
            int after = MaskOutline.vertexCount(simple);
            assertTrue(iou >= MIN_IOU, "IoU " + iou + " for a shape of area " + mask.area());
            assertEquals(raw.size(), simple.size(), "every ring (hole) is kept");
            assertTrue(after * 2 <= before, "from " + before + " to " + after + " vertices");
        }
    }

    @Test
    void holes_keep_their_opposite_winding_after_simplification() {
        BinaryMask ring = TestShapes.ring(240, 240, 120, 118, 90, 40);
        List<float[]> rings = MaskOutline.rings(ring, 2.0);
        assertEquals(2, rings.size());
        assertTrue(MaskPolygon.signedArea(rings.get(0)) * MaskPolygon.signedArea(rings.get(1)) < 0);
    }

    @Test
    void a_one_pixel_object_keeps_its_outline_while_a_hole_smaller_than_the_tolerance_vanishes() {
        BinaryMask dot = TestShapes.rectangle(10, 10, 4, 4, 4, 4);
        List<float[]> rings = MaskOutline.rings(dot, 5.0);
        assertEquals(1, rings.size());
        assertTrue(raster(rings, 10, 10)[4 * 10 + 4], "the pixel is inside its outline");

        BinaryMask square = TestShapes.rectangle(40, 40, 5, 5, 30, 30);
        square.set(17, 17, false);
        assertEquals(2, MaskOutline.rings(square, 0).size(), "traced: outline and one-pixel hole");
        List<float[]> simple = MaskOutline.rings(square, 1.0);
        assertEquals(1, simple.size(), "the hole is below the tolerance and goes");
        assertTrue(MaskPolygon.signedArea(simple.get(0)) > 0);
    }

    @Test
    void an_empty_mask_has_no_rings() {
        assertTrue(MaskOutline.rings(new BinaryMask(20, 10), 1.0).isEmpty());
    }

    @Test
    void an_object_touching_the_image_border_is_outlined_along_the_border() {
        BinaryMask mask = TestShapes.rectangle(50, 40, 0, 0, 49, 19);
        List<float[]> rings = MaskOutline.rings(mask, 1.0);
        assertEquals(1, rings.size());
        assertEquals(1.0, TestShapes.iou(mask, raster(rings, 50, 40)), 0.0);
        for (float v : rings.get(0)) {
            assertTrue(v >= 0 && v <= 50, "inside the image: " + v);
        }
    }
}

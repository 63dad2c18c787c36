package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskTracerTest {
    private static void assertSameRings(BinaryMask mask) {
        List<float[]> expected = MaskPolygon.traceMask(mask, Integer.MAX_VALUE);
        List<float[]> actual = MaskTracer.trace(mask);
        assertEquals(expected.size(), actual.size(), "ring count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "ring " + i);
        }
    }

    @Test
    void it_finds_the_same_rings_as_the_table_driven_tracer_on_shapes_with_holes_parts_and_borders() {
        assertSameRings(TestShapes.ring(120, 100, 60, 50, 45, 20));
        assertSameRings(TestShapes.union(TestShapes.disc(120, 100, 20, 20, 15), TestShapes.rectangle(120, 100, 60, 0, 119, 99)));
        assertSameRings(TestShapes.bar(120, 100, 0, 0, 119, 99, 1.5));
        assertSameRings(TestShapes.rectangle(1, 1, 0, 0, 0, 0));
    }

    @Test
    void it_finds_the_same_rings_on_random_noise_full_of_saddles() {
        Random random = new Random(13);
        for (int trial = 0; trial < 20; trial++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            BinaryMask mask = new BinaryMask(w, h);
            for (int i = 0; i < w * h; i++) {
                mask.pixels()[i] = (byte) (random.nextInt(100) < 45 ? 1 : 0);
            }
            assertSameRings(mask);
        }
    }
}

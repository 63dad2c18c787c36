package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PolygonSimplificationTest {
    /** A 10 × 4 rectangle walked with a vertex every unit. */
    private static float[] densRectangle() {
        float[] ring = new float[2 * 28];
        int n = 0;
        for (int x = 0; x < 10; x++) {
            ring[n++] = x;
            ring[n++] = 0;
        }
        for (int y = 0; y < 4; y++) {
            ring[n++] = 10;
            ring[n++] = y;
        }
        for (int x = 10; x > 0; x--) {
            ring[n++] = x;
            ring[n++] = 4;
        }
        for (int y = 4; y > 0; y--) {
            ring[n++] = 0;
            ring[n++] = y;
        }
        return ring;
    }

    @Test
    void straight_runs_collapse_to_their_corners() {
        float[] simple = PolygonSimplification.simplify(densRectangle(), 0.5);
        assertArrayEquals(new float[] {0, 0, 10, 0, 10, 4, 0, 4}, simple);
    }

    @Test
    void tolerance_zero_keeps_every_traced_vertex() {
        float[] ring = densRectangle();
        assertArrayEquals(ring, PolygonSimplification.simplify(ring, 0));
    }

    @Test
    void a_bump_larger_than_the_tolerance_stays_and_a_smaller_one_goes() {
        float[] ring = {0, 0, 5, 0, 6, 1.5f, 7, 0, 12, 0, 12, 6, 0, 6};
        assertEquals(7, PolygonSimplification.simplify(ring, 1.0).length / 2, "1.5 px bump kept at 1 px");
        assertEquals(4, PolygonSimplification.simplify(ring, 2.0).length / 2, "gone at 2 px");
    }
}

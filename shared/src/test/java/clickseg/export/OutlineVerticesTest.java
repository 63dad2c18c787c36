package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlineVerticesTest {
    private static void assertCountsTheTracedVertices(BinaryMask mask) {
        long traced = 0;
        for (float[] ring : MaskTracer.trace(mask)) {
            traced += ring.length / 2;
        }
        assertEquals(traced, OutlineVertices.count(RunLengthEncoding.counts(mask), mask.width(), mask.height()));
    }

    @Test
    void the_count_from_the_runs_is_the_number_of_vertices_the_tracer_makes() {
        assertCountsTheTracedVertices(TestShapes.ring(120, 100, 60, 50, 45, 20));
        assertCountsTheTracedVertices(TestShapes.rectangle(50, 40, 0, 0, 49, 39));
        assertCountsTheTracedVertices(TestShapes.rectangle(50, 40, 10, 0, 20, 39));
        assertCountsTheTracedVertices(new BinaryMask(7, 3));
        Random random = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            int w = 1 + random.nextInt(30);
            int h = 1 + random.nextInt(30);
            BinaryMask mask = new BinaryMask(w, h);
            for (int i = 0; i < w * h; i++) {
                mask.pixels()[i] = (byte) (random.nextInt(100) < 30 + trial ? 1 : 0);
            }
            assertCountsTheTracedVertices(mask);
        }
    }

    @Test
    void alternate_full_columns_have_few_runs_and_a_huge_outline() {
        int w = 2000;
        int h = 3000;
        int[] runs = new int[w];
        for (int i = 0; i < w; i++) {
            runs[i] = h;
        }
        assertEquals(2000L * 3000 + 2 * 1000, OutlineVertices.count(runs, w, h));
    }
}

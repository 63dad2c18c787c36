package clickseg.bench.jvm;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SquaredDistanceTransformTest {

    @Test
    void every_pixel_gets_the_exact_squared_distance_to_the_nearest_outside_pixel_or_the_border() {
        int w = 13;
        int h = 9;
        Random random = new Random(7);
        SquaredDistanceTransform transform = new SquaredDistanceTransform(w, h);
        double[] d = new double[w * h];
        for (int trial = 0; trial < 20; trial++) {
            boolean[] inside = new boolean[w * h];
            for (int i = 0; i < inside.length; i++) {
                inside[i] = random.nextDouble() < 0.2 + trial * 0.04; // from sparse blobs to almost everything
            }
            transform.compute(inside, d);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(bruteForce(inside, w, h, x, y), d[y * w + x], "trial " + trial + " at " + x + "," + y);
                }
            }
        }
    }

    /** Minimum over every pixel outside the region, including the one-pixel frame just beyond the image. */
    private static double bruteForce(boolean[] inside, int w, int h, int x, int y) {
        if (!inside[y * w + x]) {
            return 0;
        }
        double best = Double.MAX_VALUE;
        for (int v = -1; v <= h; v++) {
            for (int u = -1; u <= w; u++) {
                boolean outside = u < 0 || v < 0 || u >= w || v >= h || !inside[v * w + u];
                if (outside) {
                    best = Math.min(best, (double) (u - x) * (u - x) + (double) (v - y) * (v - y));
                }
            }
        }
        return best;
    }
}

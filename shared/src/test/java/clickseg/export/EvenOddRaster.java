package clickseg.export;

import java.util.Arrays;
import java.util.List;

/**
 * A reader's rasteriser, written apart from the exporter: polygons (x0, y0, x1, y1, …) filled by the even–odd
 * rule and sampled at pixel centres (x + 0.5, y + 0.5), scanline by scanline. All polygons of a shape share
 * one parity, as in SVG's evenodd and OpenCV's fillPoly.
 */
final class EvenOddRaster {
    private EvenOddRaster() {
    }

    /** (height, width) inside flags. */
    static boolean[] fill(List<double[]> polygons, int width, int height) {
        boolean[] inside = new boolean[width * height];
        double[] crossings = new double[64];
        for (int y = 0; y < height; y++) {
            double sy = y + 0.5;
            int n = 0;
            for (double[] p : polygons) {
                int count = p.length / 2;
                for (int i = 0, j = count - 1; i < count; j = i++) {
                    double yi = p[2 * i + 1];
                    double yj = p[2 * j + 1];
                    if ((yi > sy) != (yj > sy)) {
                        double x = p[2 * i] + (sy - yi) * (p[2 * j] - p[2 * i]) / (yj - yi);
                        if (n == crossings.length) {
                            crossings = Arrays.copyOf(crossings, n * 2);
                        }
                        crossings[n++] = x;
                    }
                }
            }
            Arrays.sort(crossings, 0, n);
            for (int k = 0; k + 1 < n; k += 2) {
                // pixels whose centre lies in [crossings[k], crossings[k+1])
                int from = (int) Math.max(0, Math.ceil(crossings[k] - 0.5));
                int to = (int) Math.min(width, Math.ceil(crossings[k + 1] - 0.5));
                for (int x = from; x < to; x++) {
                    inside[y * width + x] = !inside[y * width + x];
                }
            }
        }
        return inside;
    }

    static double[] toDouble(float[] ring) {
        double[] d = new double[ring.length];
        for (int i = 0; i < ring.length; i++) {
            d[i] = ring[i];
        }
        return d;
    }
}

package clickseg.export;

import clickseg.mask.BinaryMask;
import java.util.Arrays;
import java.util.List;

/**
 * Rings filled back into pixels the way the exports' readers do: the even–odd rule over all rings together,
 * a pixel inside when its centre (x + 0.5, y + 0.5) is. Works in a window (the object's bounding box) so that
 * checking one object's polygon costs its box, not the image.
 */
public final class PolygonRaster {
    private PolygonRaster() {
    }

    /**
     * Counts pixels of the window [x0, x0 + w) × [y0, y0 + h) that are inside both the rings and the mask, and
     * inside either. The mask must have no pixels outside the window.
     *
     * @return the IoU of the rasterised rings with the mask (1 when both are empty)
     */
    public static double iou(List<float[]> rings, BinaryMask mask, int x0, int y0, int w, int h) {
        byte[] pixels = mask.pixels();
        int width = mask.width();
        long maskArea = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                maskArea += pixels[y * width + x];
            }
        }
        long both = 0;
        long filled = 0;
        double[] crossings = new double[32];
        for (int y = y0; y < y0 + h; y++) {
            int n = crossings(rings, y + 0.5, crossings);
            if (n > crossings.length) {
                crossings = new double[n];
                n = crossings(rings, y + 0.5, crossings);
            }
            Arrays.sort(crossings, 0, n);
            for (int k = 0; k + 1 < n; k += 2) {
                int from = (int) Math.max(x0, Math.ceil(crossings[k] - 0.5));
                int to = (int) Math.min(x0 + w, Math.ceil(crossings[k + 1] - 0.5));
                for (int x = from; x < to; x++) {
                    filled++;
                    both += pixels[y * width + x];
                }
            }
        }
        long either = maskArea + filled - both;
        return either == 0 ? 1.0 : (double) both / either;
    }

    /** x of every edge crossing the scanline; returns the count (which may exceed out.length: then nothing was written past it). */
    private static int crossings(List<float[]> rings, double sy, double[] out) {
        int n = 0;
        for (float[] ring : rings) {
            int count = ring.length / 2;
            for (int i = 0, j = count - 1; i < count; j = i++) {
                double yi = ring[2 * i + 1];
                double yj = ring[2 * j + 1];
                if ((yi > sy) != (yj > sy)) {
                    if (n < out.length) {
                        out[n] = ring[2 * i] + (sy - yi) * (ring[2 * j] - ring[2 * i]) / (yj - yi);
                    }
                    n++;
                }
            }
        }
        return n;
    }
}

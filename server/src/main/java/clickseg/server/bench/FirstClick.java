package clickseg.server.bench;

/**
 * The standard first click (RITM / SAM evaluation): the object pixel farthest from the object's boundary,
 * the image border counting as boundary, by an exact Euclidean distance transform (Felzenszwalb and
 * Huttenlocher's two-pass lower envelope of parabolas).
 */
final class FirstClick {
    /** Larger than any squared distance in an image, small enough that adding q^2 stays exact. */
    private static final double FAR = 1e12;

    private FirstClick() {
    }

    /** @return {x, y} of the interior-most object pixel, or null when the mask has no object pixel */
    static int[] farthestFromBoundary(int[] labels, int width, int height) {
        double[] d = new double[width * height]; // (H, W) squared distance to the nearest non-object pixel
        for (int i = 0; i < d.length; i++) {
            d[i] = labels[i] == 1 ? FAR : 0;
        }
        // Padding by one background pixel on every side makes the border a boundary.
        int n = Math.max(width, height) + 2;
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n + 1];
        for (int x = 0; x < width; x++) {
            f[0] = 0;
            for (int y = 0; y < height; y++) {
                f[y + 1] = d[y * width + x];
            }
            f[height + 1] = 0;
            transform1d(f, height + 2, out, v, z);
            for (int y = 0; y < height; y++) {
                d[y * width + x] = out[y + 1];
            }
        }
        for (int y = 0; y < height; y++) {
            f[0] = 0;
            System.arraycopy(d, y * width, f, 1, width);
            f[width + 1] = 0;
            transform1d(f, width + 2, out, v, z);
            System.arraycopy(out, 1, d, y * width, width);
        }
        int best = -1;
        for (int i = 0; i < d.length; i++) {
            if (labels[i] == 1 && (best < 0 || d[i] > d[best])) {
                best = i;
            }
        }
        return best < 0 ? null : new int[]{best % width, best / width};
    }

    // out[q] = min_p (q - p)^2 + f[p]
    private static void transform1d(double[] f, int n, double[] out, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = intersection(f, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            double dq = q - v[k];
            out[q] = dq * dq + f[v[k]];
        }
    }

    /** Where the parabolas rooted at q and p cross. */
    private static double intersection(double[] f, int q, int p) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }
}

package clickseg.bench.jvm;

/**
 * Exact squared Euclidean distance from every pixel of a region to the nearest pixel outside it, the image
 * border counting as outside (Felzenszwalb and Huttenlocher's two passes of a lower envelope of parabolas).
 * This is what OpenCV's {@code distanceTransform(DIST_L2, 0)} computes on a mask padded by one zero pixel,
 * as RITM's click simulator does, squared so that every value is an exact integer and ties compare exactly.
 * Scratch is sized once per image size; {@link #compute} allocates nothing.
 */
final class SquaredDistanceTransform {
    /** Larger than any squared distance in an image, small enough that adding q^2 stays exact. */
    private static final double FAR = 1e12;

    private final int width;
    private final int height;
    private final double[] f;   // (max(W, H) + 2) one padded row or column
    private final double[] out; // (max(W, H) + 2)
    private final int[] v;      // (max(W, H) + 2) roots of the parabolas in the envelope
    private final double[] z;   // (max(W, H) + 3) where each envelope parabola starts

    SquaredDistanceTransform(int width, int height) {
        this.width = width;
        this.height = height;
        int n = Math.max(width, height) + 2;
        f = new double[n];
        out = new double[n];
        v = new int[n];
        z = new double[n + 1];
    }

    /**
     * @param inside   (H, W) the region
     * @param distance (H, W) output: 0 outside the region, else the squared distance to the nearest outside
     *                 pixel or to the padding just beyond the image border
     */
    void compute(boolean[] inside, double[] distance) {
        for (int i = 0; i < width * height; i++) {
            distance[i] = inside[i] ? FAR : 0;
        }
        // Columns first, then rows; one background pixel of padding on each end of every line.
        for (int x = 0; x < width; x++) {
            f[0] = 0;
            for (int y = 0; y < height; y++) {
                f[y + 1] = distance[y * width + x];
            }
            f[height + 1] = 0;
            transform1d(height + 2);
            for (int y = 0; y < height; y++) {
                distance[y * width + x] = out[y + 1];
            }
        }
        for (int y = 0; y < height; y++) {
            f[0] = 0;
            System.arraycopy(distance, y * width, f, 1, width);
            f[width + 1] = 0;
            transform1d(width + 2);
            System.arraycopy(out, 1, distance, y * width, width);
        }
    }

    // out[q] = min_p (q - p)^2 + f[p]
    private void transform1d(int n) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = intersection(q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(q, v[k]);
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
    private double intersection(int q, int p) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }
}

package clickseg.everything;

/**
 * SAM's build_point_grid scaled to a crop: n × n points at the centres of an n × n tiling,
 * x = (i + 0.5) / n · width, row by row (x varies fastest), as (X, Y) in the crop's pixels.
 */
public final class PointGrid {
    private PointGrid() {
    }

    /** (n·n, 2) points, (X, Y) in pixels of a width × height crop. */
    public static float[] points(int n, int width, int height) {
        if (n < 1) {
            throw new IllegalArgumentException("a point grid needs at least 1 point per side, got " + n);
        }
        float[] xy = new float[n * n * 2];
        for (int row = 0; row < n; row++) {
            // np.linspace(1/(2n), 1 - 1/(2n), n)[i] == (i + 0.5) / n
            float fy = (float) ((row + 0.5) / n);
            for (int col = 0; col < n; col++) {
                float fx = (float) ((col + 0.5) / n);
                int o = 2 * (row * n + col);
                xy[o] = fx * width;
                xy[o + 1] = fy * height;
            }
        }
        return xy;
    }
}

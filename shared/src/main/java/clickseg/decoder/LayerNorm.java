package clickseg.decoder;

/**
 * Layer normalisation over the last (contiguous) dimension of rows, as nn.LayerNorm (eps 1e-5)
 * and SAM's LayerNorm2d (eps 1e-6; channels-last here, so the same kernel) compute it:
 * y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance.
 */
public final class LayerNorm {
    public static final float TRANSFORMER_EPS = 1e-5f;
    public static final float LAYER_NORM_2D_EPS = 1e-6f;

    private LayerNorm() {
    }

    /** x (rows, dim) at xOffset → y (rows, dim) at yOffset; y may be x. */
    public static void rows(float[] x, int xOffset, int rows, int dim, float[] weight, float[] bias, float eps,
                            float[] y, int yOffset) {
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * dim;
            int yo = yOffset + r * dim;
            // statistics in double: cheap next to the matrix products, and removes one source of drift
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                sum += x[xo + i];
            }
            float mean = (float) (sum / dim);
            double squares = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[xo + i] - (double) mean;
                squares += d * d;
            }
            float std = (float) Math.sqrt(squares / dim + eps);
            for (int i = 0; i < dim; i++) {
                y[yo + i] = (x[xo + i] - mean) / std * weight[i] + bias[i];
            }
        }
    }
}

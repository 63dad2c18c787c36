package clickseg.decoder;

/**
 * y = x·W + b for rows of x, with W kept as (in) rows of (out) so the inner loop runs over
 * contiguous outputs ({@link Axpy}).
 */
public final class Linear {
    private Linear() {
    }

    /**
     * x (rows, in) at xOffset, weight (in) rows of (out), bias (out) or null → y (rows, out) at
     * yOffset. rowScratch holds at least out values.
     */
    static void forward(float[] x, int xOffset, int rows, int in, float[][] weight, float[] bias, int out, float[] y,
                        int yOffset, float[] rowScratch) {
        for (int r = 0; r < rows; r++) {
            if (bias != null) {
                System.arraycopy(bias, 0, rowScratch, 0, out);
            } else {
                java.util.Arrays.fill(rowScratch, 0, out, 0f);
            }
            Axpy.accumulate(rowScratch, x, xOffset + r * in, in, weight, 0, out);
            System.arraycopy(rowScratch, 0, y, yOffset + r * out, out);
        }
    }

    /** PyTorch's (out, in) layout → (in) rows of (out). */
    static float[][] inOutRows(float[] weightOutIn, int out, int in) {
        return Axpy.rows(transpose(weightOutIn, out, in), in, out);
    }

    /** PyTorch's (out, in) layout → (in, out). */
    public static float[] transpose(float[] weightOutIn, int out, int in) {
        float[] t = new float[weightOutIn.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = weightOutIn[o * in + i];
            }
        }
        return t;
    }

    public static void relu(float[] x, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (x[i] < 0f) {
                x[i] = 0f;
            }
        }
    }
}

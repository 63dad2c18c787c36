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
     * yOffset. rowScratch: rows of at least out values; with 4 of them, four rows of x share each
     * pass over the weights (for runtimes that do not vectorise, see Axpy.accumulateFour), with 1
     * each row makes its own pass (which HotSpot vectorises). Same bits either way.
     */
    static void forward(float[] x, int xOffset, int rows, int in, float[][] weight, float[] bias, int out, float[] y,
                        int yOffset, float[][] rowScratch) {
        int r = 0;
        // four rows per pass over the weights (the token MLP's weights are 2 MiB each: streamed twice
        // for seven tokens instead of seven times); every output row sums in the same order as below
        for (; rowScratch.length >= 4 && r + 3 < rows; r += 4) {
            for (int q = 0; q < 4; q++) {
                startRow(rowScratch[q], bias, out);
            }
            int x0 = xOffset + r * in;
            Axpy.accumulate4(rowScratch[0], rowScratch[1], rowScratch[2], rowScratch[3], x, x0, x, x0 + in,
                    x, x0 + 2 * in, x, x0 + 3 * in, in, weight, out);
            for (int q = 0; q < 4; q++) {
                System.arraycopy(rowScratch[q], 0, y, yOffset + (r + q) * out, out);
            }
        }
        for (; r < rows; r++) {
            float[] row = rowScratch[0];
            startRow(row, bias, out);
            Axpy.accumulate(row, x, xOffset + r * in, in, weight, 0, out);
            System.arraycopy(row, 0, y, yOffset + r * out, out);
        }
    }

    private static void startRow(float[] row, float[] bias, int out) {
        if (bias != null) {
            System.arraycopy(bias, 0, row, 0, out);
        } else {
            java.util.Arrays.fill(row, 0, out, 0f);
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

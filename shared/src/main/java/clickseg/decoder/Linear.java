package clickseg.decoder;

/**
 * y = x·W + b for rows of x, with W stored (in, out) so that the inner loop runs over
 * contiguous outputs (an axpy the JIT vectorises), the layout of ONNX MatMul operands.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * x (rows, in) at xOffset, weight (in, out), bias (out) or null → y (rows, out) at yOffset.
     * y must not overlap x.
     */
    public static void forward(float[] x, int xOffset, int rows, int in, float[] weight, float[] bias, int out,
                               float[] y, int yOffset) {
        for (int r = 0; r < rows; r++) {
            int yo = yOffset + r * out;
            if (bias != null) {
                System.arraycopy(bias, 0, y, yo, out);
            } else {
                for (int o = 0; o < out; o++) {
                    y[yo + o] = 0f;
                }
            }
            int xo = xOffset + r * in;
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                int wo = i * out;
                for (int o = 0; o < out; o++) {
                    y[yo + o] += xi * weight[wo + o];
                }
            }
        }
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

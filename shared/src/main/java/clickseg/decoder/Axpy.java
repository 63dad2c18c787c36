package clickseg.decoder;

/**
 * The decoder's inner kernel: acc += Σ_i x_i · W_i over rows W_i of a weight matrix, four rows
 * per pass over acc (summing four products before touching the accumulator quarters its loads
 * and stores).
 *
 * <p>Weight rows are separate arrays and accumulators start at index 0, so every array in the
 * inner loop is read at the same index k. HotSpot's C2 only vectorises such a loop when it can
 * rule out overlap between the stored and the loaded arrays; with equal indices overlap cannot
 * create a dependence, so it does (measured: 3 → 11 GMAC/s on JDK 17 for a row-offset loop vs
 * this form). TeaVM's output runs the same loops unvectorised and loses nothing.
 */
final class Axpy {
    private Axpy() {
    }

    /** acc[k] += Σ_{i < count} x[xOffset + i] · rows[rowStart + i][k] for k < length. */
    static void accumulate(float[] acc, float[] x, int xOffset, int count, float[][] rows, int rowStart, int length) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            float x0 = x[xOffset + i];
            float x1 = x[xOffset + i + 1];
            float x2 = x[xOffset + i + 2];
            float x3 = x[xOffset + i + 3];
            float[] w0 = rows[rowStart + i];
            float[] w1 = rows[rowStart + i + 1];
            float[] w2 = rows[rowStart + i + 2];
            float[] w3 = rows[rowStart + i + 3];
            for (int k = 0; k < length; k++) {
                acc[k] += x0 * w0[k] + x1 * w1[k] + x2 * w2[k] + x3 * w3[k];
            }
        }
        for (; i < count; i++) {
            float xi = x[xOffset + i];
            float[] wi = rows[rowStart + i];
            for (int k = 0; k < length; k++) {
                acc[k] += xi * wi[k];
            }
        }
    }

    /**
     * Two inputs at once sharing each weight load: accA += Σ_i xA_i · W_i, accB += Σ_i xB_i · W_i
     * (two image tokens per pass over the weights).
     */
    static void accumulate2(float[] accA, float[] accB, float[] xA, int xAOffset, float[] xB, int xBOffset, int count,
                            float[][] rows, int length) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            float a0 = xA[xAOffset + i];
            float a1 = xA[xAOffset + i + 1];
            float a2 = xA[xAOffset + i + 2];
            float a3 = xA[xAOffset + i + 3];
            float b0 = xB[xBOffset + i];
            float b1 = xB[xBOffset + i + 1];
            float b2 = xB[xBOffset + i + 2];
            float b3 = xB[xBOffset + i + 3];
            float[] w0 = rows[i];
            float[] w1 = rows[i + 1];
            float[] w2 = rows[i + 2];
            float[] w3 = rows[i + 3];
            for (int k = 0; k < length; k++) {
                float v0 = w0[k];
                float v1 = w1[k];
                float v2 = w2[k];
                float v3 = w3[k];
                accA[k] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
                accB[k] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
            }
        }
        for (; i < count; i++) {
            float a = xA[xAOffset + i];
            float b = xB[xBOffset + i];
            float[] w = rows[i];
            for (int k = 0; k < length; k++) {
                accA[k] += a * w[k];
                accB[k] += b * w[k];
            }
        }
    }

    /** Splits a flat (rows, length) matrix into row arrays. */
    static float[][] rows(float[] flat, int rows, int length) {
        float[][] out = new float[rows][length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * length, out[r], 0, length);
        }
        return out;
    }
}

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

    /**
     * Four inputs at once sharing each weight load: acc_r += Σ_i x_r[xOffset_r + i] · W_i for r < 4
     * (four image tokens or pixels per pass over the weights). In WebAssembly, where nothing is
     * vectorised, every array access is a load plus a bounds check; four accumulators per pass
     * spend 12 of them on 16 multiply-adds where {@link #accumulate2} spends 8 on 8.
     */
    static void accumulate4(float[] acc0, float[] acc1, float[] acc2, float[] acc3, float[] x0, int x0Offset,
                            float[] x1, int x1Offset, float[] x2, int x2Offset, float[] x3, int x3Offset, int count,
                            float[][] rows, int length) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            float a0 = x0[x0Offset + i];
            float a1 = x0[x0Offset + i + 1];
            float a2 = x0[x0Offset + i + 2];
            float a3 = x0[x0Offset + i + 3];
            float b0 = x1[x1Offset + i];
            float b1 = x1[x1Offset + i + 1];
            float b2 = x1[x1Offset + i + 2];
            float b3 = x1[x1Offset + i + 3];
            float c0 = x2[x2Offset + i];
            float c1 = x2[x2Offset + i + 1];
            float c2 = x2[x2Offset + i + 2];
            float c3 = x2[x2Offset + i + 3];
            float d0 = x3[x3Offset + i];
            float d1 = x3[x3Offset + i + 1];
            float d2 = x3[x3Offset + i + 2];
            float d3 = x3[x3Offset + i + 3];
            float[] w0 = rows[i];
            float[] w1 = rows[i + 1];
            float[] w2 = rows[i + 2];
            float[] w3 = rows[i + 3];
            int k = 0;
            // two k per pass: TeaVM reads each Java array's WebAssembly storage once per pass
            for (; k + 1 < length; k += 2) {
                float v0 = w0[k];
                float v1 = w1[k];
                float v2 = w2[k];
                float v3 = w3[k];
                float u0 = w0[k + 1];
                float u1 = w1[k + 1];
                float u2 = w2[k + 1];
                float u3 = w3[k + 1];
                acc0[k] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
                acc0[k + 1] += a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
                acc1[k] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
                acc1[k + 1] += b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3;
                acc2[k] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
                acc2[k + 1] += c0 * u0 + c1 * u1 + c2 * u2 + c3 * u3;
                acc3[k] += d0 * v0 + d1 * v1 + d2 * v2 + d3 * v3;
                acc3[k + 1] += d0 * u0 + d1 * u1 + d2 * u2 + d3 * u3;
            }
            for (; k < length; k++) {
                float v0 = w0[k];
                float v1 = w1[k];
                float v2 = w2[k];
                float v3 = w3[k];
                acc0[k] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
                acc1[k] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
                acc2[k] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
                acc3[k] += d0 * v0 + d1 * v1 + d2 * v2 + d3 * v3;
            }
        }
        for (; i < count; i++) {
            float a = x0[x0Offset + i];
            float b = x1[x1Offset + i];
            float c = x2[x2Offset + i];
            float d = x3[x3Offset + i];
            float[] w = rows[i];
            for (int k = 0; k < length; k++) {
                float v = w[k];
                acc0[k] += a * v;
                acc1[k] += b * v;
                acc2[k] += c * v;
                acc3[k] += d * v;
            }
        }
    }

    /**
     * Four accumulators over the same weight rows, in the form the runtime runs fastest:
     * {@link #accumulate4} (each weight load shared by four accumulators) where nothing is
     * vectorised (TeaVM's WebAssembly and JavaScript), else four {@link #accumulate} passes, which
     * HotSpot's C2 vectorises (measured on JDK 17: 16 G multiply-adds/s against 5 for accumulate4,
     * whose several stored arrays C2 does not vectorise). Each accumulator sums in the same order
     * either way, so both give the same bits.
     */
    static void accumulateFour(boolean shareWeightLoads, float[] acc0, float[] acc1, float[] acc2, float[] acc3,
                               float[] x0, int x0Offset, float[] x1, int x1Offset, float[] x2, int x2Offset,
                               float[] x3, int x3Offset, int count, float[][] rows, int length) {
        if (shareWeightLoads) {
            accumulate4(acc0, acc1, acc2, acc3, x0, x0Offset, x1, x1Offset, x2, x2Offset, x3, x3Offset, count, rows,
                    length);
            return;
        }
        accumulate(acc0, x0, x0Offset, count, rows, 0, length);
        accumulate(acc1, x1, x1Offset, count, rows, 0, length);
        accumulate(acc2, x2, x2Offset, count, rows, 0, length);
        accumulate(acc3, x3, x3Offset, count, rows, 0, length);
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

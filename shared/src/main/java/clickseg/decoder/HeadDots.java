package clickseg.decoder;

/**
 * Per-head dot products of two projected rows (head dim 16), four heads side by side. One dot
 * product of 16 terms is a chain of additions that each wait for the previous one; four heads'
 * chains interleaved keep the adder busy (each sum's order is unchanged, so are its bits).
 */
final class HeadDots {
    private HeadDots() {
    }

    /**
     * For heads h = firstHead … firstHead+3: out[outOffset + h·outStride] = (a_h · b_h) / scale,
     * where x_h = x[xOffset + h·hd, xOffset + (h+1)·hd).
     */
    static void four(float[] a, int aOffset, float[] b, int bOffset, int hd, int firstHead, float scale, float[] out,
                     int outOffset, int outStride) {
        int a0 = aOffset + firstHead * hd;
        int b0 = bOffset + firstHead * hd;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int d = 0; d < hd; d++) {
            s0 += a[a0 + d] * b[b0 + d];
            s1 += a[a0 + hd + d] * b[b0 + hd + d];
            s2 += a[a0 + 2 * hd + d] * b[b0 + 2 * hd + d];
            s3 += a[a0 + 3 * hd + d] * b[b0 + 3 * hd + d];
        }
        out[outOffset + firstHead * outStride] = s0 / scale;
        out[outOffset + (firstHead + 1) * outStride] = s1 / scale;
        out[outOffset + (firstHead + 2) * outStride] = s2 / scale;
        out[outOffset + (firstHead + 3) * outStride] = s3 / scale;
    }
}

package clickseg.decoder;

/**
 * exp(x) for the decoder's softmaxes, where x = score − max ≤ 0, rounded to float.
 *
 * <p>Why not {@code (float) Math.exp(x)}: TeaVM's WebAssembly output imports Math.exp from
 * JavaScript, so every call leaves WebAssembly, and a click needs about a million of them (every
 * image token against every head and token, five attentions). This is plain arithmetic the
 * compiler keeps inline: x = n·ln 2 + r with |r| ≤ ln 2 / 2, exp(r) by its Taylor series to r⁷ in
 * double (truncation error below 1e-8 relative), times 2ⁿ built from the exponent bits. The result
 * is within one float ulp of Math.exp's; below −87.3 (where exp leaves float's normal range) it
 * is 0, which against the softmax's largest term, exp(0) = 1, is what float addition makes of it
 * anyway.
 */
final class SoftmaxExp {
    private static final double LOG2_E = 1.4426950408889634;
    private static final double LN_2 = 0.6931471805599453;
    /** Below this, 2ⁿ would leave float's normal exponents (n < −126). */
    private static final float LOWEST = -87.3f;

    private SoftmaxExp() {
    }

    /** exp(x) for x ≤ 0 (larger x is not supported: the callers subtract the maximum first). */
    static float ofNonPositive(float x) {
        if (!(x >= LOWEST)) { // also catches NaN and −∞
            return x != x ? x : 0f;
        }
        double t = x * LOG2_E;                 // in [−126, 0]
        int n = (int) (t - 0.5);               // round to nearest for t ≤ 0 (truncation toward zero)
        double r = x - n * LN_2;               // |r| ≤ ln 2 / 2 (plus rounding)
        double p = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120
                + r * (1.0 / 720 + r * (1.0 / 5040)))))));
        float scale = Float.intBitsToFloat((n + 127) << 23); // 2ⁿ, n in [−126, 0]
        return (float) p * scale;
    }
}

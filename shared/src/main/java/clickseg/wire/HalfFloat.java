package clickseg.wire;

/**
 * IEEE 754 binary16 conversions, written out because Float.floatToFloat16 is Java 20+ and TeaVM
 * does not provide it. Rounding is to nearest, ties to even, like numpy's astype(float16).
 */
public final class HalfFloat {
    private HalfFloat() {
    }

    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mantissa * 2^-24
            float magnitude = mantissa * 5.9604645e-8f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) { // infinity or NaN (keep NaN a NaN)
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 112;
        if (halfExponent >= 0x1f) { // overflow to infinity
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) { // subnormal half or zero
            if (halfExponent < -10) {
                return (short) sign;
            }
            int m = mantissa | 0x800000; // implicit leading one
            int shift = 14 - halfExponent;
            int half = m >>> shift;
            int remainder = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (remainder > halfway || (remainder == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = halfExponent << 10 | mantissa >>> 13;
        int remainder = mantissa & 0x1fff;
        if (remainder > 0x1000 || (remainder == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding (up to infinity)
        }
        return (short) (sign | half);
    }
}

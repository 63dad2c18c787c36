package clickseg.export;

/**
 * Numbers as plain decimals (never exponent notation, which some YOLO and SVG readers reject), rounded to a
 * fixed number of places with trailing zeros dropped: the same text on the JVM and under TeaVM.
 */
public final class Decimals {
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private Decimals() {
    }

    /** @param places 0..6 */
    public static StringBuilder append(StringBuilder out, double value, int places) {
        long scale = POWERS[places];
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / scale);
        long fraction = scaled % scale;
        if (fraction != 0) {
            out.append('.');
            long digit = scale / 10;
            while (fraction != 0) {
                out.append((char) ('0' + fraction / digit));
                fraction %= digit;
                digit /= 10;
            }
        }
        return out;
    }

    public static String of(double value, int places) {
        return append(new StringBuilder(), value, places).toString();
    }
}

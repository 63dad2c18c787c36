package clickseg.decoder;

/**
 * The error function in double precision. java.lang.Math has no erf (and TeaVM only maps what
 * Math has to JavaScript), so it is computed here: the Maclaurin series below 3, where it
 * converges with at most ~3 digits of cancellation, and the Laplace continued fraction for erfc
 * above. Absolute error below 1e-13; used to build {@link Gelu}'s table, not per pixel.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private Erf() {
    }

    public static double erf(double x) {
        if (x < 0) {
            return -erf(-x);
        }
        if (x < 3.0) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x;
            double term = x; // (-1)^n x^(2n+1) / n!
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double contribution = term / (2 * n + 1);
                sum += contribution;
                if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        return 1.0 - erfcLarge(x);
    }

    /** erfc(x) for x >= 3 by the continued fraction erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
    private static double erfcLarge(double x) {
        double fraction = x;
        for (int k = 60; k >= 1; k--) {
            fraction = x + (k / 2.0) / fraction;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
    }
}

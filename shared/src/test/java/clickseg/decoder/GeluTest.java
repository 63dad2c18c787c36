package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeluTest {
    @Test
    void erf_matches_known_values_to_double_precision() {
        // Abramowitz & Stegun table 7.1 / high-precision references
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-14);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-14);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-14);
        assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-14);
        assertEquals(0.9999999845827421, Erf.erf(4.0), 1e-14);
        assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-14);
    }

    @Test
    void the_table_gelu_stays_within_float_resolution_of_the_exact_one() {
        double worst = 0;
        for (float x = -12f; x <= 12f; x += 0.000937f) {
            double exact = Gelu.exact(x);
            double error = Math.abs(Gelu.apply(x) - exact);
            worst = Math.max(worst, error / Math.max(1.0, Math.abs(exact)));
        }
        assertTrue(worst < 3e-7, "worst relative error " + worst);
    }
}

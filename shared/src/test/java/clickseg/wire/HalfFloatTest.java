package clickseg.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatTest {

    @Test
    void every_finite_half_survives_a_round_trip_through_float() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) {
                continue; // NaN payloads are not preserved bit for bit
            }
            float f = HalfFloat.toFloat((short) h);
            assertEquals(h, HalfFloat.fromFloat(f) & 0xFFFF, "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void known_values_and_ties_round_to_nearest_even() {
        assertEquals(0x3C00, HalfFloat.fromFloat(1f) & 0xFFFF);
        assertEquals(0xC000, HalfFloat.fromFloat(-2f) & 0xFFFF);
        assertEquals(0x7BFF, HalfFloat.fromFloat(65504f) & 0xFFFF, "largest finite half");
        assertEquals(0x7C00, HalfFloat.fromFloat(65520f) & 0xFFFF, "ties away from the largest finite to infinity");
        assertEquals(0x0001, HalfFloat.fromFloat(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x0000, HalfFloat.fromFloat(0x1p-25f) & 0xFFFF, "half of it ties to even zero");
        assertEquals(0x3C00, HalfFloat.fromFloat(1f + 0x1p-11f) & 0xFFFF, "tie to even (down)");
        assertEquals(0x3C02, HalfFloat.fromFloat(1f + 0x3p-11f) & 0xFFFF, "tie to even (up)");
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.NaN))));
    }

    @Test
    void rounding_error_is_at_most_half_a_unit_in_the_last_place() {
        for (float f = -70000f; f < 70000f; f += 0.731f) {
            float back = HalfFloat.toFloat(HalfFloat.fromFloat(f));
            if (Math.abs(f) > 65504f) {
                continue;
            }
            float ulp = Math.max(Math.ulp(back) * (1 << 13), 0x1p-24f); // half ulp spacing at this magnitude
            assertTrue(Math.abs(back - f) <= ulp / 2 * 1.0001f, f + " -> " + back);
        }
    }
}

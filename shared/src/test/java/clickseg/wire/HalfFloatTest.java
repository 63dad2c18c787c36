package clickseg.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HalfFloatTest {
    @Test
    void every_half_survives_a_round_trip_through_float() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloat.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertEquals(true, Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(f))));
                continue;
            }
            assertEquals((short) h, HalfFloat.fromFloat(f), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void rounding_is_to_nearest_even_like_numpy() {
        assertEquals(1.0f, HalfFloat.toFloat(HalfFloat.fromFloat(1.0f + 1f / 4096))); // below half an ulp (1/1024)
        assertEquals(1.0f, HalfFloat.toFloat(HalfFloat.fromFloat(1.0f + 1f / 2048))); // tie → even
        assertEquals(1.0f + 2f / 1024, HalfFloat.toFloat(HalfFloat.fromFloat(1.0f + 3f / 2048))); // tie → even (up)
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat(HalfFloat.fromFloat(70000f)));
        assertEquals(65504f, HalfFloat.toFloat(HalfFloat.fromFloat(65504f)));
        assertEquals(5.9604645e-8f, HalfFloat.toFloat(HalfFloat.fromFloat(5.9604645e-8f))); // smallest subnormal
    }
}

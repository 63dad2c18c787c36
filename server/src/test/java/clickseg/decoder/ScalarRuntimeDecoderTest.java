package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.prompt.Prompt;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser's decoder ({@link MaskDecoder#forScalarRuntime}: kernels that share each weight load
 * across four image tokens, for TeaVM's WebAssembly) sums every value in the same order as the
 * default decoder (kernels HotSpot vectorises), so it must give the same bits: whole decodes,
 * refinements with a mask input, and striped decodes alike. The default decoder is itself checked
 * against ONNX Runtime (DecoderExactnessTest, StripedDecodeTest).
 */
class ScalarRuntimeDecoderTest {
    static MaskDecoder hotSpot;
    static MaskDecoder hotSpotOtherStripe;
    static MaskDecoder scalar;
    static MaskDecoder scalarOtherStripe;
    static DecoderExactnessTest.TestImage image;

    @BeforeAll
    static void setUp() throws Exception {
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        hotSpot = new MaskDecoder(weights);
        hotSpotOtherStripe = new MaskDecoder(weights);
        scalar = MaskDecoder.forScalarRuntime(weights);
        scalarOtherStripe = MaskDecoder.forScalarRuntime(weights);
        image = new DecoderExactnessTest.TestImage("synthetic-landscape", 640, 480,
                EncoderOracle.embed("synthetic-landscape", SyntheticImages.shapes(640, 480, 1)));
    }

    @Test
    void the_scalar_runtime_decoder_gives_the_default_decoders_bits_for_clicks_boxes_and_refinements() {
        ImageContext reference = hotSpot.prepare(image.embedding(), image.width(), image.height());
        ImageContext context = scalar.prepare(image.embedding(), image.width(), image.height());
        Random random = new Random(4_2026L);
        DecoderResult expected = new DecoderResult();
        DecoderResult actual = new DecoderResult();
        for (int i = 0; i < 9; i++) {
            Prompt prompt = DecoderExactnessTest.randomPrompt(random, i % 3, image.width(), image.height());
            float[] maskInput = null;
            if (i >= 6) { // refine the previous result
                maskInput = new float[DecoderResult.SIZE * DecoderResult.SIZE];
                expected.copyLogits(expected.selected(), maskInput);
            }
            hotSpot.decode(reference, prompt, maskInput, expected);
            scalar.decode(context, prompt, maskInput, actual);
            String what = "prompt " + i + " (kind " + (i % 3) + ", mask input " + (maskInput != null) + ")";
            assertArrayEquals(expected.lowResLogits, actual.lowResLogits, what + ": logits");
            assertArrayEquals(expected.iou, actual.iou, what + ": IoUs");
            assertEquals(expected.selected(), actual.selected(), what + ": selected mask");
            assertTrue(expected.multiplyAdds() > 0 && expected.multiplyAdds() == actual.multiplyAdds(), what);
        }
    }

    @Test
    void two_scalar_runtime_workers_splitting_a_decode_give_the_default_striped_bits() {
        Prompt prompt = DecoderExactnessTest.randomPrompt(new Random(7), 0, image.width(), image.height());
        DecoderResult[] expected = decodeInTwoStripes(hotSpot, hotSpotOtherStripe, prompt);
        DecoderResult[] actual = decodeInTwoStripes(scalar, scalarOtherStripe, prompt);
        for (int stripe = 0; stripe < 2; stripe++) {
            assertArrayEquals(expected[stripe].lowResLogits, actual[stripe].lowResLogits, "stripe " + stripe + " logits");
            assertArrayEquals(expected[stripe].iou, actual[stripe].iou, "stripe " + stripe + " IoUs");
        }
    }

    /** Grid rows [0, 32) on decoder a and [32, 64) on decoder b, exchanging copies of their partials. */
    static DecoderResult[] decodeInTwoStripes(MaskDecoder a, MaskDecoder b, Prompt prompt) {
        ImageContext contextA = a.prepare(image.embedding(), image.width(), image.height());
        ImageContext contextB = b.prepare(image.embedding(), image.width(), image.height());
        DecoderResult outA = new DecoderResult();
        DecoderResult outB = new DecoderResult();
        float[] partialsA = a.beginStripe(contextA, prompt, null, 0, 32);
        float[] partialsB = b.beginStripe(contextB, prompt, null, 32, MaskDecoder.GRID);
        int merges = 0;
        while (partialsA != null) {
            float[][] posted = {partialsA.clone(), partialsB.clone()};
            partialsA = a.continueStripe(posted, outA);
            partialsB = b.continueStripe(new float[][] {posted[0].clone(), posted[1].clone()}, outB);
            merges++;
        }
        assertEquals(DecoderWeights.DEPTH + 1, merges);
        return new DecoderResult[] {outA, outB};
    }
}

package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.prompt.Prompt;
import clickseg.server.decoder.ServerDecoders;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's decoder on the Vector API kernels (what segment requests and segment-everything run)
 * against ONNX Runtime and against shared's plain Java decoder: clicks, boxes, box + points, and
 * refinements with a mask input, whole and in row stripes. Its sums run in another order and with fused
 * multiply-adds, so it is held to ONNX Runtime within {@value #LOGIT_TOLERANCE} (the plain decoder's
 * worst is 4e-4 against the same oracle, the browser's SIMD kernels' 1e-3), and must pick the same mask.
 */
class VectorKernelDecoderTest {
    static final double LOGIT_TOLERANCE = 2e-3;
    static final double IOU_TOLERANCE = 1e-4;
    /**
     * The vector kernels sum a stripe's 4096·share attention-weighted tokens in one pass with fused
     * multiply-adds (the plain ones in blocks of 64), so moving the stripe boundary moves rounding a
     * little more than StripedDecodeTest's 1e-4 for the plain kernels.
     */
    static final double STRIPE_TOLERANCE = 3e-4;

    static MaskDecoder vector;
    static MaskDecoder plain;
    static DecoderExactnessTest.TestImage[] images;

    @BeforeAll
    static void setUp() throws Exception {
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        vector = ServerDecoders.create(weights);
        plain = new MaskDecoder(weights);
        images = new DecoderExactnessTest.TestImage[] {
                new DecoderExactnessTest.TestImage("synthetic-landscape", 640, 480,
                        EncoderOracle.embed("synthetic-landscape", SyntheticImages.shapes(640, 480, 1))),
                new DecoderExactnessTest.TestImage("synthetic-portrait", 360, 640,
                        EncoderOracle.embed("synthetic-portrait", SyntheticImages.shapes(360, 640, 2)))};
    }

    @Test
    void the_test_jvm_runs_the_vector_api_kernels_so_this_test_checks_them() {
        assertTrue(ServerDecoders.vectorApi(), "surefire starts the JVM with --add-modules jdk.incubator.vector; "
                + "without it the server falls back to the plain kernels and this test would check nothing new: "
                + ServerDecoders.kernels());
    }

    @Test
    void clicks_boxes_and_refinements_match_onnx_runtime_and_pick_the_plain_decoders_mask() throws Exception {
        Random random = new Random(20261201);
        DecoderResult fast = new DecoderResult();
        DecoderResult reference = new DecoderResult();
        double worstOrt = 0;
        double worstPlain = 0;
        int refinements = 0;
        for (int i = 0; i < 18; i++) {
            DecoderExactnessTest.TestImage image = images[i % images.length];
            ImageContext vectorContext = vector.prepare(image.embedding(), image.width(), image.height());
            ImageContext plainContext = plain.prepare(image.embedding(), image.width(), image.height());
            Prompt prompt = DecoderExactnessTest.randomPrompt(random, (i / 2) % 3, image.width(), image.height());
            float[] maskInput = null;
            if (i % 3 == 2) {
                plain.decode(plainContext, DecoderExactnessTest.randomPrompt(random, 0, image.width(), image.height()),
                        null, reference);
                maskInput = new float[DecoderResult.SIZE * DecoderResult.SIZE];
                reference.copyLogits(reference.selected(), maskInput);
                refinements++;
            }
            vector.decode(vectorContext, prompt, maskInput, fast);
            plain.decode(plainContext, prompt, maskInput, reference);
            String what = image.name() + " prompt " + i + " (mask input " + (maskInput != null) + ")";

            OnnxOracle.Output ort = StripedDecodeTest.runOracleOn(OnnxOracle.shared(), image, vectorContext, prompt,
                    maskInput);
            double logits = DecoderExactnessTest.maxAbsDiff(fast.lowResLogits, ort.allMasks());
            worstOrt = Math.max(worstOrt, logits);
            worstPlain = Math.max(worstPlain, DecoderExactnessTest.maxAbsDiff(fast.lowResLogits, reference.lowResLogits));
            assertTrue(logits <= LOGIT_TOLERANCE, what + ": logits differ from ONNX Runtime by " + logits);
            assertTrue(DecoderExactnessTest.maxAbsDiff(fast.iou, ort.allIous()) <= IOU_TOLERANCE, what + ": IoUs");
            assertEquals(reference.selected(), fast.selected(), what + ": the selected mask");
        }
        System.out.println("VectorKernelDecoderTest: worst |Δlogit| vs ONNX Runtime " + worstOrt + ", vs plain Java "
                + worstPlain + " (" + refinements + " refinements)");
        assertTrue(refinements >= 5);
    }

    @Test
    void two_uneven_stripes_on_the_vector_kernels_give_the_single_call_result() {
        DecoderWeights weights;
        try {
            weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        MaskDecoder[] workers = {ServerDecoders.create(weights), ServerDecoders.create(weights)};
        DecoderExactnessTest.TestImage image = images[0];
        ImageContext context = vector.prepare(image.embedding(), image.width(), image.height());
        Random random = new Random(7);
        DecoderResult whole = new DecoderResult();
        for (int i = 0; i < 4; i++) {
            Prompt prompt = DecoderExactnessTest.randomPrompt(random, i % 3, image.width(), image.height());
            vector.decode(context, prompt, null, whole);
            DecoderResult striped = StripedDecodeTest.decodeInStripes(workers, context, prompt, null,
                    new int[] {0, 23, 64});
            double logits = DecoderExactnessTest.maxAbsDiff(striped.lowResLogits, whole.lowResLogits);
            assertTrue(logits <= STRIPE_TOLERANCE, "prompt " + i + ": stripes differ by " + logits);
        }
    }
}

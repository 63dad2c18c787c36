package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.prompt.Prompt;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One decode split into row stripes of the 64×64 image-token grid, run as two "workers" in one
 * JVM: two decoders with their own scratch memory and their own image context, which exchange
 * nothing but the softmax-partials arrays, must give the single-call decode's result (up to the
 * float rounding of the merge: {@value #STRIPE_TOLERANCE}) and still match ONNX Runtime.
 */
class StripedDecodeTest {
    static final double STRIPE_TOLERANCE = 1e-4;
    static final int PROMPTS = 24;

    static MaskDecoder single;
    static MaskDecoder workerA;
    static MaskDecoder workerB;
    static OnnxOracle oracle;
    static DecoderExactnessTest.TestImage[] images;

    @BeforeAll
    static void setUp() throws Exception {
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        single = new MaskDecoder(weights);
        workerA = new MaskDecoder(weights);
        workerB = new MaskDecoder(weights);
        oracle = OnnxOracle.shared();
        images = new DecoderExactnessTest.TestImage[] {
                new DecoderExactnessTest.TestImage("synthetic-landscape", 640, 480,
                        EncoderOracle.embed("synthetic-landscape", SyntheticImages.shapes(640, 480, 1))),
                new DecoderExactnessTest.TestImage("synthetic-portrait", 360, 640,
                        EncoderOracle.embed("synthetic-portrait", SyntheticImages.shapes(360, 640, 2)))};
    }

    /** Runs the two stripes [0, split) and [split, 64) phase by phase, as two workers would. */
    static DecoderResult decodeInTwoStripes(ImageContext contextA, ImageContext contextB, Prompt prompt,
                                            float[] maskInput, int split) {
        DecoderResult outA = new DecoderResult();
        DecoderResult outB = new DecoderResult();
        float[] partialsA = workerA.beginStripe(contextA, prompt, maskInput, 0, split);
        float[] partialsB = workerB.beginStripe(contextB, prompt, maskInput, split, MaskDecoder.GRID);
        int merges = 0;
        while (partialsA != null) {
            assertNotNull(partialsB, "both stripes need the same number of merges");
            // copies: what crosses between workers is a posted message, never shared memory
            float[][] posted = {partialsA.clone(), partialsB.clone()};
            partialsA = workerA.continueStripe(posted, outA);
            partialsB = workerB.continueStripe(new float[][] {posted[0].clone(), posted[1].clone()}, outB);
            merges++;
        }
        assertNull(partialsB);
        assertEquals(DecoderWeights.DEPTH + 1, merges, "one merge per token→image attention");
        assertArrayEquals(outA.iou, outB.iou, "both workers hold the same token state after each merge");

        DecoderResult result = new DecoderResult();
        System.arraycopy(outA.iou, 0, result.iou, 0, DecoderResult.MASKS);
        int firstRowB = 4 * split; // logit rows at 256×256
        for (int m = 0; m < DecoderResult.MASKS; m++) {
            int o = DecoderResult.offset(m);
            System.arraycopy(outA.lowResLogits, o, result.lowResLogits, o, firstRowB * DecoderResult.SIZE);
            System.arraycopy(outB.lowResLogits, o + firstRowB * DecoderResult.SIZE, result.lowResLogits,
                    o + firstRowB * DecoderResult.SIZE, (DecoderResult.SIZE - firstRowB) * DecoderResult.SIZE);
        }
        result.modelPointCount = outA.modelPointCount();
        MaskDecoder.completeStripes(result);
        return result;
    }

    @Test
    void two_stripes_exchanging_only_partials_give_the_single_call_result_and_match_onnx_runtime() throws Exception {
        Random random = new Random(20261127);
        DecoderResult whole = new DecoderResult();
        double worstStripe = 0;
        double worstIou = 0;
        int withMask = 0;
        int[] kinds = new int[3];
        for (int i = 0; i < PROMPTS; i++) {
            DecoderExactnessTest.TestImage image = images[i % images.length];
            ImageContext context = single.prepare(image.embedding(), image.width(), image.height());
            ImageContext contextA = workerA.prepare(image.embedding(), image.width(), image.height());
            ImageContext contextB = workerB.prepare(image.embedding(), image.width(), image.height());
            int kind = (i / 2) % 3; // points, box, box + points
            kinds[kind]++;
            Prompt prompt = DecoderExactnessTest.randomPrompt(random, kind, image.width(), image.height());
            float[] maskInput = null;
            if (i % 4 >= 2) { // refine: the previous click's mask 0 on this image as mask input
                single.decode(context, DecoderExactnessTest.randomPrompt(random, 0, image.width(), image.height()),
                        null, whole);
                maskInput = new float[DecoderResult.SIZE * DecoderResult.SIZE];
                whole.copyLogits(whole.selected(), maskInput);
                withMask++;
            }
            int split = i % 3 == 0 ? 21 : 32; // uneven stripes too
            single.decode(context, prompt, maskInput, whole);
            DecoderResult striped = decodeInTwoStripes(contextA, contextB, prompt, maskInput, split);
            String what = image.name() + " prompt " + i + " (kind " + kind + ", mask input " + (maskInput != null)
                    + ", split at row " + split + ")";

            double logits = DecoderExactnessTest.maxAbsDiff(striped.lowResLogits, whole.lowResLogits);
            double ious = DecoderExactnessTest.maxAbsDiff(striped.iou, whole.iou);
            worstStripe = Math.max(worstStripe, logits);
            worstIou = Math.max(worstIou, ious);
            assertTrue(logits <= STRIPE_TOLERANCE, what + ": striped logits differ from single-call by " + logits);
            assertTrue(ious <= STRIPE_TOLERANCE, what + ": striped IoUs differ from single-call by " + ious);
            assertArrayEquals(whole.stability, striped.stability, 1e-3f, what + ": stability");

            OnnxOracle.Output ort = runOracle(image, context, prompt, maskInput);
            assertTrue(DecoderExactnessTest.maxAbsDiff(striped.lowResLogits, ort.allMasks())
                    <= DecoderExactnessTest.LOGIT_TOLERANCE, what + ": logits against ONNX Runtime");
            assertTrue(DecoderExactnessTest.maxAbsDiff(striped.iou, ort.allIous())
                    <= DecoderExactnessTest.IOU_TOLERANCE, what + ": IoUs against ONNX Runtime");
        }
        System.out.println("StripedDecodeTest: " + PROMPTS + " prompts (" + Arrays.toString(kinds) + " points/box/both, "
                + withMask + " with mask input); worst striped-vs-single logit " + worstStripe + ", IoU " + worstIou);
        assertTrue(withMask >= PROMPTS / 3 && kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0, "prompt variety");
    }

    static OnnxOracle.Output runOracle(DecoderExactnessTest.TestImage image, ImageContext context, Prompt prompt,
                                       float[] maskInput) throws Exception {
        return runOracleOn(oracle, image, context, prompt, maskInput);
    }

    static OnnxOracle.Output runOracleOn(OnnxOracle oracle, DecoderExactnessTest.TestImage image, ImageContext context,
                                         Prompt prompt, float[] maskInput) throws Exception {
        int n = prompt.modelPointCount();
        float[] coords = new float[2 * n];
        int[] labels = new int[n];
        prompt.toModelPoints(context.transform(), coords, labels);
        float[] floatLabels = new float[n];
        for (int i = 0; i < n; i++) {
            floatLabels[i] = labels[i];
        }
        return oracle.run(image.embedding(), coords, floatLabels, n, maskInput, image.width(), image.height());
    }

    /**
     * Runs one decode as stripes [bounds[i], bounds[i+1]) on the given decoders, phase by phase, every
     * decoder merging posted copies of all stripes' partials in stripe order, as the page's workers do.
     */
    static DecoderResult decodeInStripes(MaskDecoder[] workers, ImageContext context, Prompt prompt, float[] maskInput,
                                         int[] bounds) {
        int stripes = workers.length;
        DecoderResult[] outs = new DecoderResult[stripes];
        float[][] partials = new float[stripes][];
        for (int i = 0; i < stripes; i++) {
            outs[i] = new DecoderResult();
            partials[i] = workers[i].beginStripe(context, prompt, maskInput, bounds[i], bounds[i + 1]);
        }
        while (partials[0] != null) {
            float[][] posted = new float[stripes][];
            for (int i = 0; i < stripes; i++) {
                assertNotNull(partials[i], "every stripe needs the same number of merges");
                posted[i] = partials[i].clone();
            }
            for (int i = 0; i < stripes; i++) {
                float[][] copy = new float[stripes][];
                for (int k = 0; k < stripes; k++) {
                    copy[k] = posted[k].clone();
                }
                partials[i] = workers[i].continueStripe(copy, outs[i]);
            }
        }
        DecoderResult result = new DecoderResult();
        System.arraycopy(outs[0].iou, 0, result.iou, 0, DecoderResult.MASKS);
        for (int i = 0; i < stripes; i++) {
            assertNull(partials[i]);
            assertArrayEquals(outs[0].iou, outs[i].iou, "every worker holds the same token state after each merge");
            int first = 4 * bounds[i] * DecoderResult.SIZE;
            int length = 4 * (bounds[i + 1] - bounds[i]) * DecoderResult.SIZE;
            for (int m = 0; m < DecoderResult.MASKS; m++) {
                int o = DecoderResult.offset(m);
                System.arraycopy(outs[i].lowResLogits, o + first, result.lowResLogits, o + first, length);
            }
        }
        result.modelPointCount = outs[0].modelPointCount();
        MaskDecoder.completeStripes(result);
        return result;
    }

    @Test
    void three_and_four_stripes_give_the_single_call_result_as_two_do() throws Exception {
        DecoderWeights weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        MaskDecoder[] four = {workerA, workerB, new MaskDecoder(weights), MaskDecoder.forScalarRuntime(weights)};
        Random random = new Random(20261201);
        DecoderResult whole = new DecoderResult();
        int[][] layouts = {{0, 21, 43, 64}, {0, 16, 32, 48, 64}, {0, 5, 40, 41, 64}};
        double worst = 0;
        for (int i = 0; i < 6; i++) {
            DecoderExactnessTest.TestImage image = images[i % images.length];
            ImageContext context = single.prepare(image.embedding(), image.width(), image.height());
            Prompt prompt = DecoderExactnessTest.randomPrompt(random, i % 3, image.width(), image.height());
            float[] maskInput = null;
            if (i >= 3) { // refine with the previous click's mask
                single.decode(context, DecoderExactnessTest.randomPrompt(random, 0, image.width(), image.height()),
                        null, whole);
                maskInput = new float[DecoderResult.SIZE * DecoderResult.SIZE];
                whole.copyLogits(whole.selected(), maskInput);
            }
            single.decode(context, prompt, maskInput, whole);
            int[] bounds = layouts[i % layouts.length];
            MaskDecoder[] workers = Arrays.copyOf(four, bounds.length - 1);
            DecoderResult striped = decodeInStripes(workers, context, prompt, maskInput, bounds);
            String what = image.name() + " prompt " + i + " in stripes " + Arrays.toString(bounds);
            double logits = DecoderExactnessTest.maxAbsDiff(striped.lowResLogits, whole.lowResLogits);
            worst = Math.max(worst, logits);
            assertTrue(logits <= STRIPE_TOLERANCE, what + ": logits differ from single-call by " + logits);
            assertTrue(DecoderExactnessTest.maxAbsDiff(striped.iou, whole.iou) <= STRIPE_TOLERANCE, what + ": IoUs");
            assertEquals(whole.selected(), striped.selected(), what + ": selected mask");
        }
        System.out.println("StripedDecodeTest: 3 and 4 stripes, worst logit difference from single-call " + worst);
    }

    @Test
    void stripe_rows_outside_the_grid_and_partials_of_the_wrong_size_are_refused_clearly() {
        DecoderExactnessTest.TestImage image = images[0];
        ImageContext context = workerA.prepare(image.embedding(), image.width(), image.height());
        Prompt prompt = Prompt.point(100, 100, Prompt.FOREGROUND);
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> workerA.beginStripe(context, prompt, null, 40, 30));
        assertTrue(rows.getMessage().contains("stripe rows"), rows.getMessage());
        float[] partials = workerA.beginStripe(context, prompt, null, 0, 32);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> workerA.continueStripe(new float[][] {partials, new float[3]}, new DecoderResult()));
        assertTrue(size.getMessage().contains("partials"), size.getMessage());
    }
}

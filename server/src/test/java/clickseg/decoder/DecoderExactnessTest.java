package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.Prompt;
import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;
import clickseg.server.weights.OnnxDecoderWeights;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java decoder against ONNX Runtime running SAM's own decoder graph, on embeddings of real
 * and synthetic images, for random prompts of every kind SAM accepts.
 *
 * <p>Tolerances, stated once: both sides compute in float32 but sum in different orders (and the
 * Java side reassociates the attention), so logits may differ by float rounding amplified through
 * two transformer blocks: at most {@value #LOGIT_TOLERANCE} absolute; IoU predictions at most
 * {@value #IOU_TOLERANCE}; and thresholded full-size masks may only flip pixels whose logit is
 * within that rounding of 0: at least {@value #MASK_AGREEMENT} of pixels agree.
 */
class DecoderExactnessTest {
    static final double LOGIT_TOLERANCE = 1e-3;
    static final double IOU_TOLERANCE = 1e-4;
    static final double MASK_AGREEMENT = 0.999;
    static final int PROMPTS_PER_IMAGE = 48;

    record TestImage(String name, int width, int height, float[] embedding) {
    }

    static DecoderWeights weights;
    static MaskDecoder decoder;
    static OnnxOracle oracle;
    static List<TestImage> images = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        weights = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        decoder = new MaskDecoder(weights);
        oracle = OnnxOracle.shared();
        add("synthetic-landscape", SyntheticImages.shapes(640, 480, 1));
        add("synthetic-portrait", SyntheticImages.shapes(360, 640, 2));
        Path datasets = TestModels.datasets();
        if (datasets == null) {
            System.out.println("DecoderExactnessTest: ../shared/datasets not found beside the checkout; "
                    + "real-photo embeddings skipped, synthetic images only");
        } else {
            for (Path photo : datasetPhotos(datasets)) {
                byte[] file = Files.readAllBytes(photo);
                DecodedImage decoded = new ImageDecoder(100_000_000L).decode(file);
                String name = photo.getFileName().toString();
                images.add(new TestImage(name, decoded.width(), decoded.height(), EncoderOracle.embed(name, file)));
            }
        }
    }

    static void add(String name, BufferedImage image) throws Exception {
        images.add(new TestImage(name, image.getWidth(), image.getHeight(), EncoderOracle.embed(name, image)));
    }

    /** Two GrabCut photos and one Berkeley photo, the first by name, so runs are repeatable. */
    static List<Path> datasetPhotos(Path datasets) throws Exception {
        List<Path> photos = new ArrayList<>();
        for (String set : new String[] {"GrabCut", "Berkeley"}) {
            Path dir = datasets.resolve(set).resolve("images");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|png)$")).sorted()
                        .limit(set.equals("GrabCut") ? 2 : 1).forEach(photos::add);
            }
        }
        return photos;
    }

    @Test
    void all_four_masks_and_ious_match_onnx_runtime_for_random_prompts() throws Exception {
        Random random = new Random(20240611);
        DecoderResult java = new DecoderResult();
        double worstLogit = 0;
        double worstIou = 0;
        double worstAgreement = 1;
        int prompts = 0;
        int withMask = 0;
        int[] kinds = new int[3];
        for (TestImage image : images) {
            ImageContext context = decoder.prepare(image.embedding(), image.width(), image.height());
            MaskUpsampler upsampler = new MaskUpsampler(context.transform());
            float[] fullSize = new float[image.width() * image.height()];
            BinaryMask javaMask = new BinaryMask(image.width(), image.height());
            float[] previous = null;
            for (int i = 0; i < PROMPTS_PER_IMAGE; i++) {
                int kind = i % 3; // points, box, box + points
                Prompt prompt = randomPrompt(random, kind, image.width(), image.height());
                float[] maskInput = previous != null && random.nextBoolean() ? previous : null;
                decoder.decode(context, prompt, maskInput, java);
                OnnxOracle.Output ort = runOracle(image, context, prompt, maskInput);

                String what = image.name() + " prompt " + i + " (kind " + kind + ", mask input " + (maskInput != null) + ")";
                double logit = maxAbsDiff(java.lowResLogits, ort.allMasks());
                double iou = maxAbsDiff(java.iou, ort.allIous());
                assertTrue(logit <= LOGIT_TOLERANCE, what + ": logits differ by " + logit);
                assertTrue(iou <= IOU_TOLERANCE, what + ": IoU differs by " + iou);
                int selected = java.selected();
                assertEquals(0.0, maxAbsDiff(ort.selectedLowRes(), slice(ort.allMasks(), selected)), 0.0,
                        what + ": ONNX single-mask output is mask " + selected + " by the selection rule");
                upsampler.toMask(java.lowResLogits, DecoderResult.offset(selected), fullSize, javaMask);
                double agreement = javaMask.agreement(threshold(ort.masks(), image.width(), image.height()));
                assertTrue(agreement >= MASK_AGREEMENT, what + ": full-size masks agree on " + agreement);

                worstLogit = Math.max(worstLogit, logit);
                worstIou = Math.max(worstIou, iou);
                worstAgreement = Math.min(worstAgreement, agreement);
                prompts++;
                kinds[kind]++;
                withMask += maskInput != null ? 1 : 0;
                previous = new float[256 * 256];
                java.copyLogits(selected, previous);
            }
        }
        System.out.printf("DecoderExactnessTest: %d prompts on %d images (%d points-only, %d box, %d box+points; %d with a"
                        + " mask input): max |logit diff| %.3g over all 4 masks, max |IoU diff| %.3g, min full-size mask"
                        + " agreement %.5f%n", prompts, images.size(), kinds[0], kinds[1], kinds[2], withMask, worstLogit,
                worstIou, worstAgreement);
        assertTrue(prompts >= 96);
    }

    @Test
    void the_decoder_as_written_agrees_with_onnx_runtime_too() throws Exception {
        MaskDecoder asWritten = MaskDecoder.asWritten(weights);
        TestImage image = images.get(0);
        ImageContext context = asWritten.prepare(image.embedding(), image.width(), image.height());
        Random random = new Random(7);
        DecoderResult java = new DecoderResult();
        for (int i = 0; i < 3; i++) {
            Prompt prompt = randomPrompt(random, i, image.width(), image.height());
            asWritten.decode(context, prompt, null, java);
            OnnxOracle.Output ort = runOracle(image, context, prompt, null);
            assertTrue(maxAbsDiff(java.lowResLogits, ort.allMasks()) <= LOGIT_TOLERANCE);
            assertTrue(maxAbsDiff(java.iou, ort.allIous()) <= IOU_TOLERANCE);
        }
    }

    @Test
    void one_click_or_a_box_selects_the_best_multimask_output_and_more_points_select_mask_zero() throws Exception {
        TestImage image = images.get(0);
        ImageContext context = decoder.prepare(image.embedding(), image.width(), image.height());
        DecoderResult r = new DecoderResult();
        Prompt[] single = {Prompt.point(320, 240, 1), Prompt.box(100, 80, 500, 400)};
        for (Prompt p : single) {
            decoder.decode(context, p, null, r);
            assertEquals(2, r.modelPointCount());
            assertEquals(r.bestMultimask(), r.selected(), "one click or a box alone: best IoU among masks 1-3");
            assertTrue(r.selected() >= 1);
            OnnxOracle.Output ort = runOracle(image, context, p, null);
            assertEquals(0.0, maxAbsDiff(ort.selectedLowRes(), slice(ort.allMasks(), r.selected())), 0.0);
        }
        Prompt[] multi = {Prompt.point(320, 240, 1).withPoint(50, 50, 0), Prompt.box(100, 80, 500, 400).withPoint(300, 200, 1)};
        for (Prompt p : multi) {
            decoder.decode(context, p, null, r);
            assertEquals(0, r.selected(), "two or more model points beyond the padding: mask 0");
            OnnxOracle.Output ort = runOracle(image, context, p, null);
            assertEquals(0.0, maxAbsDiff(ort.selectedLowRes(), slice(ort.allMasks(), 0)), 0.0);
        }
    }

    @Test
    void prompts_at_image_edges_map_like_onnx_runtime_for_portrait_landscape_and_tiny_images() throws Exception {
        // The embedding content does not matter for the coordinate transform and the crop; reuse one.
        float[] embedding = images.get(0).embedding();
        int[][] sizes = {{640, 480}, {480, 640}, {1024, 1024}, {2000, 300}, {300, 2000}, {37, 23}, {7, 5}, {1, 1}, {1025, 767}};
        DecoderResult java = new DecoderResult();
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            TestImage image = new TestImage(w + "x" + h, w, h, embedding);
            ImageContext context = decoder.prepare(embedding, w, h);
            MaskUpsampler upsampler = new MaskUpsampler(context.transform());
            Prompt[] prompts = {Prompt.point(0, 0, 1), Prompt.point(w - 1, h - 1, 1), Prompt.point(w, h, 1),
                    Prompt.point(w / 2f, h / 2f, 1).withPoint(0, h - 1, 0), Prompt.box(0, 0, w, h)};
            for (Prompt p : prompts) {
                decoder.decode(context, p, null, java);
                OnnxOracle.Output ort = runOracle(image, context, p, null);
                String what = w + "x" + h + (p.pointCount() > 0 ? " point at " + p.pointX(0) + "," + p.pointY(0) : " box");
                assertTrue(maxAbsDiff(java.lowResLogits, ort.allMasks()) <= LOGIT_TOLERANCE, what);
                BinaryMask mask = upsampler.toMask(java.lowResLogits, DecoderResult.offset(java.selected()));
                double agreement = mask.agreement(threshold(ort.masks(), w, h));
                assertTrue(agreement >= (w * h < 1000 ? 1.0 - 1.0 / (w * h) : MASK_AGREEMENT),
                        what + ": agreement " + agreement);
            }
        }
    }

    static OnnxOracle.Output runOracle(TestImage image, ImageContext context, Prompt prompt, float[] maskInput)
            throws Exception {
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

    static Prompt randomPrompt(Random random, int kind, int w, int h) {
        Prompt p = Prompt.empty();
        if (kind >= 1) {
            float x0 = random.nextFloat() * w * 0.6f;
            float y0 = random.nextFloat() * h * 0.6f;
            p = p.withBox(x0, y0, x0 + (0.1f + random.nextFloat() * 0.4f) * w, y0 + (0.1f + random.nextFloat() * 0.4f) * h);
        }
        int points = kind == 1 ? 0 : 1 + random.nextInt(kind == 0 ? 6 : 3);
        for (int i = 0; i < points; i++) {
            int label = i == 0 ? Prompt.FOREGROUND : random.nextInt(2);
            p = p.withPoint(random.nextFloat() * w, random.nextFloat() * h, label);
        }
        return p;
    }

    static BinaryMask threshold(float[] logits, int w, int h) {
        BinaryMask m = new BinaryMask(w, h);
        for (int i = 0; i < w * h; i++) {
            m.pixels()[i] = (byte) (logits[i] > 0 ? 1 : 0);
        }
        return m;
    }

    static float[] slice(float[] all, int mask) {
        return java.util.Arrays.copyOfRange(all, DecoderResult.offset(mask), DecoderResult.offset(mask + 1));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "same size");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}

package clickseg.everything;

import clickseg.decoder.DecoderResult;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.CoordinateTransform;

import java.util.List;

/**
 * The per-point half of automatic mask generation for one crop (SAM's _process_batch): of the three
 * multimask outputs of a grid point, keep those whose predicted IoU and stability score pass the
 * thresholds, upsample only those to the crop's size, threshold at 0, drop the empty ones and those
 * whose box touches a crop edge that is not an image edge, and record the rest as run lengths in
 * the whole image's frame.
 *
 * <p>By default the stability score is computed on the 256×256 low-resolution logits, so a mask that
 * fails is never upsampled (SAM computes it on the upsampled logits; see
 * {@link EverythingParameters#stabilityAtFullResolution}). Buffers are sized once for the crop: one
 * collector serves one thread.
 */
public final class CandidateCollector {
    /** Pixels within which a box counts as touching a crop edge (SAM's is_box_near_crop_edge atol). */
    static final int CROP_EDGE_TOLERANCE = 20;
    private static final int PLANE = DecoderResult.SIZE * DecoderResult.SIZE;

    private final EverythingParameters parameters;
    private final CropBox crop;
    private final int imageWidth;
    private final int imageHeight;
    private final MaskUpsampler upsampler;
    private final float[] logits; // (cropHeight, cropWidth) upsampled logits of one mask
    private final byte[] mask;    // (cropHeight, cropWidth) logits > 0
    private long seen;
    private long passedIou;
    private long passedStability;
    private long droppedBackground;

    public CandidateCollector(EverythingParameters parameters, CropBox crop, int imageWidth, int imageHeight) {
        this.parameters = parameters;
        this.crop = crop;
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.upsampler = new MaskUpsampler(new CoordinateTransform(crop.width(), crop.height()));
        this.logits = new float[crop.width() * crop.height()];
        this.mask = new byte[crop.width() * crop.height()];
    }

    public CropBox crop() {
        return crop;
    }

    /**
     * Adds the kept masks among the multimask outputs (1..3) of one grid point to out.
     *
     * @param pointX the prompt point, X in the crop's pixels
     * @param pointY Y in the crop's pixels
     * @return as bits (bit m for mask m), the masks that became candidates (passed the thresholds and were
     *         not dropped as the background or cut off by a crop edge): a coarse-to-fine grid need not look
     *         again where they lie ({@link #cover}). A background mask must not count: on a photo whose
     *         8 × 8 points found only the background, counting it left nothing for the finer level to try
     */
    public int collect(DecoderResult result, float pointX, float pointY, List<GeneratedMask> out) {
        int cropW = crop.width();
        int cropH = crop.height();
        int confident = 0;
        for (int m = 1; m < DecoderResult.MASKS; m++) {
            seen++;
            float iou = result.iou[m];
            if (!(iou >= parameters.predIouThreshold())) {
                continue;
            }
            passedIou++;
            int offset = DecoderResult.offset(m);
            float stability;
            if (parameters.stabilityAtFullResolution()) {
                upsampler.upsample(result.lowResLogits, offset, logits);
                stability = StabilityScore.of(logits, 0, cropW * cropH, parameters.stabilityOffset());
            } else {
                stability = parameters.stabilityOffset() == DecoderResult.STABILITY_OFFSET ? result.stability[m]
                        : StabilityScore.of(result.lowResLogits, offset, PLANE, parameters.stabilityOffset());
            }
            if (!(stability >= parameters.stabilityThreshold())) {
                continue;
            }
            passedStability++;
            if (!parameters.stabilityAtFullResolution()) {
                upsampler.upsample(result.lowResLogits, offset, logits);
            }
            // threshold and box in one pass
            int minX = cropW;
            int minY = cropH;
            int maxX = -1;
            int maxY = -1;
            long area = 0;
            for (int y = 0; y < cropH; y++) {
                int row = y * cropW;
                for (int x = 0; x < cropW; x++) {
                    boolean inside = logits[row + x] > MaskUpsampler.THRESHOLD;
                    mask[row + x] = (byte) (inside ? 1 : 0);
                    if (inside) {
                        area++;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = y;
                    }
                }
            }
            if (area == 0 || nearCropEdge(minX, minY, maxX, maxY)) {
                continue;
            }
            if (parameters.dropBackground() && spansImage(minX, minY, maxX, maxY)) {
                droppedBackground++;
                continue;
            }
            int boxW = maxX - minX + 1;
            int boxH = maxY - minY + 1;
            int[] counts = FramedRunLength.encode(mask, minY * cropW + minX, cropW, boxW, boxH, crop.x0() + minX,
                    crop.y0() + minY, imageWidth, imageHeight);
            int[] box = {crop.x0() + minX, crop.y0() + minY, boxW, boxH};
            // only a mask that becomes a candidate explains its pixels: one dropped as the background (or cut
            // off by a crop edge) says nothing about the objects inside it, so it must not stop finer levels
            confident |= 1 << m;
            out.add(new GeneratedMask(counts, box, area, iou, stability, crop.x0() + pointX, crop.y0() + pointY, crop));
        }
        return confident;
    }

    /**
     * Marks as covered in the grid the pixels of the smallest mask {@link #collect} found confident for this
     * point. The point's larger masks (the whole object, or the scene around it) would mark every cell
     * inside them explained, and the objects inside them would never get a point of their own; the smallest
     * one marks only what this point is certainly about.
     */
    public static void cover(CoverageGuidedGrid grid, DecoderResult result, int confident) {
        int smallest = -1;
        int smallestArea = Integer.MAX_VALUE;
        float[] logits = result.lowResLogits;
        for (int m = 1; m < DecoderResult.MASKS; m++) {
            if ((confident & 1 << m) == 0) {
                continue;
            }
            int area = 0;
            for (int i = DecoderResult.offset(m), end = i + DecoderResult.SIZE * DecoderResult.SIZE; i < end; i++) {
                area += logits[i] > 0f ? 1 : 0;
            }
            if (area < smallestArea) {
                smallestArea = area;
                smallest = m;
            }
        }
        if (smallest >= 0) {
            grid.cover(logits, DecoderResult.offset(smallest));
        }
    }

    /**
     * SAM's is_box_near_crop_edge: a box within the tolerance of a crop edge that is not also an
     * image edge is probably cut off by the crop. Boxes here are inclusive XYXY in the crop's frame.
     */
    private boolean nearCropEdge(int minX, int minY, int maxX, int maxY) {
        int[] boxXyxy = {crop.x0() + minX, crop.y0() + minY, crop.x0() + maxX, crop.y0() + maxY};
        int[] cropXyxy = {crop.x0(), crop.y0(), crop.x1(), crop.y1()};
        int[] imageXyxy = {0, 0, imageWidth, imageHeight};
        for (int i = 0; i < 4; i++) {
            boolean nearCrop = Math.abs(boxXyxy[i] - cropXyxy[i]) <= CROP_EDGE_TOLERANCE;
            boolean nearImage = Math.abs(boxXyxy[i] - imageXyxy[i]) <= CROP_EDGE_TOLERANCE;
            if (nearCrop && !nearImage) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a box (inclusive, crop frame) reaches all four image edges within one low-resolution pixel
     * (longest side / 256 original pixels): upsampling can leave that much unset along a border.
     */
    private boolean spansImage(int minX, int minY, int maxX, int maxY) {
        int tolerance = (Math.max(imageWidth, imageHeight) + DecoderResult.SIZE - 1) / DecoderResult.SIZE + 1;
        return crop.x0() + minX <= tolerance && crop.y0() + minY <= tolerance
                && crop.x0() + maxX >= imageWidth - 1 - tolerance && crop.y0() + maxY >= imageHeight - 1 - tolerance;
    }

    /** Masks dropped as background so far. */
    public long droppedBackground() {
        return droppedBackground;
    }

    /** Multimask outputs looked at so far. */
    public long seen() {
        return seen;
    }

    public long passedIou() {
        return passedIou;
    }

    public long passedStability() {
        return passedStability;
    }
}

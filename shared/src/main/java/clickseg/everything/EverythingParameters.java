package clickseg.everything;

/**
 * The knobs of automatic mask generation, named and defaulted as SAM's SamAutomaticMaskGenerator
 * (segment_anything/automatic_mask_generator.py). Immutable; the {@code with…} methods return copies
 * and {@link #validate} states every problem in one message.
 *
 * @param pointsPerSide        the grid of single-point prompts is pointsPerSide × pointsPerSide per crop
 * @param predIouThreshold     keep a mask whose predicted IoU is at least this (0..1)
 * @param stabilityThreshold   keep a mask whose stability score is at least this (0..1)
 * @param stabilityOffset      logit offset of the stability score: IoU of (logits > +o) vs (logits > −o)
 * @param boxNmsThreshold      box IoU above which the lower-scoring of two masks is a duplicate (0..1)
 * @param minRegionArea        in original pixels: islands and holes smaller than this are removed / filled; 0 = off
 * @param cropLayers           0 = the whole image only; n = also the 2^k × 2^k crops for k = 1..n
 * @param cropOverlapRatio     overlap of neighbouring crops as a fraction of the image's shorter side
 * @param cropPointsDownscale  layer k uses pointsPerSide / cropPointsDownscale^k points per side
 * @param cropNmsThreshold     box IoU for removing duplicates between crops (smaller crops win)
 * @param stabilityAtFullResolution false: the stability score is taken on the 256×256 low-resolution
 *                             logits the decoder returns, and only kept masks are upsampled (fast);
 *                             true: on the logits upsampled to the crop's size, as SAM does
 * @param dropBackground       drop masks that reach all four edges of the image (within one low-resolution
 *                             pixel): the background or the whole picture, not an object. Not in SAM, whose
 *                             generator returns such masks too
 * @param gridLevels           1: SAM's grid, every point decoded; n: coarse to fine in n levels, the first with
 *                             pointsPerSide / 2^(n−1) points per side, each finer one only where no kept mask
 *                             covers the crop yet ({@link CoverageGuidedGrid})
 */
public record EverythingParameters(int pointsPerSide, float predIouThreshold, float stabilityThreshold,
                                   float stabilityOffset, float boxNmsThreshold, int minRegionArea, int cropLayers,
                                   float cropOverlapRatio, int cropPointsDownscale, float cropNmsThreshold,
                                   boolean stabilityAtFullResolution, boolean dropBackground, int gridLevels) {

    /** SAM's points_per_side is 32 (1,024 decodes); 16 walked coarse to fine needs about a tenth of that. */
    public static final int DEFAULT_POINTS_PER_SIDE = 16;
    /** A grid of more points than this per side is refused by {@link #validate} whatever the caller's bound. */
    public static final int MAX_POINTS_PER_SIDE = 256;
    public static final int MAX_CROP_LAYERS = 3;
    public static final int MAX_GRID_LEVELS = 6;
    /**
     * Points per side of the first level when gridLevels is left to {@link #coarseToFineLevels}: an 8 × 8
     * grid finds the large objects, the finer levels only go where those left the picture uncovered.
     */
    public static final int COARSEST_POINTS_PER_SIDE = 8;

    /**
     * Levels for a coarse-to-fine walk from an 8 × 8 grid (or the nearest halving of pointsPerSide at or
     * above 8) to pointsPerSide: 16 → 2, 32 → 3, 64 → 4; 8 or less, or odd sizes, → 1 (SAM's grid).
     */
    public static int coarseToFineLevels(int pointsPerSide) {
        int levels = 1;
        for (int n = pointsPerSide; n % 2 == 0 && n / 2 >= COARSEST_POINTS_PER_SIDE && levels < MAX_GRID_LEVELS; n /= 2) {
            levels++;
        }
        return levels;
    }

    /**
     * SAM's defaults, except: a 16 × 16 grid walked coarse to fine from 8 × 8 ({@link #coarseToFineLevels};
     * SAM decodes every point of 32 × 32), minRegionArea 100 as in SAM's own example notebook (its default is
     * 0 = off), and dropBackground on. Measured on the ground-truth photos (benchmarks/README.md,
     * EverythingBenchmark): the same objects covered as SAM's 16 × 16 grid with about 40% of its decodes.
     */
    public static EverythingParameters defaults() {
        return new EverythingParameters(DEFAULT_POINTS_PER_SIDE, 0.88f, 0.95f, 1.0f, 0.7f, 100, 0,
                512f / 1500f, 1, 0.7f, false, true, coarseToFineLevels(DEFAULT_POINTS_PER_SIDE));
    }

    public EverythingParameters withPointsPerSide(int n) {
        return new EverythingParameters(n, predIouThreshold, stabilityThreshold, stabilityOffset, boxNmsThreshold,
                minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withThresholds(float predIou, float stability) {
        return new EverythingParameters(pointsPerSide, predIou, stability, stabilityOffset, boxNmsThreshold,
                minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withBoxNmsThreshold(float iou) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset, iou,
                minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withMinRegionArea(int area) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset,
                boxNmsThreshold, area, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withCrops(int layers, int pointsDownscale) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset,
                boxNmsThreshold, minRegionArea, layers, cropOverlapRatio, pointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withStabilityAtFullResolution(boolean fullResolution) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset,
                boxNmsThreshold, minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                fullResolution, dropBackground, gridLevels);
    }

    public EverythingParameters withDropBackground(boolean drop) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset,
                boxNmsThreshold, minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, drop, gridLevels);
    }

    public EverythingParameters withGridLevels(int levels) {
        return new EverythingParameters(pointsPerSide, predIouThreshold, stabilityThreshold, stabilityOffset,
                boxNmsThreshold, minRegionArea, cropLayers, cropOverlapRatio, cropPointsDownscale, cropNmsThreshold,
                stabilityAtFullResolution, dropBackground, levels);
    }

    /** Points per side on crop layer k (layer 0 is the whole image); at least 1. */
    public int pointsPerSide(int layer) {
        int n = pointsPerSide;
        for (int k = 0; k < layer; k++) {
            n /= cropPointsDownscale;
        }
        return Math.max(1, n);
    }

    /** Point prompts over all crop layers at most (the number of decoder runs with one grid level). */
    public int totalPoints() {
        int total = 0;
        for (int layer = 0; layer <= cropLayers; layer++) {
            int crops = 1 << layer;
            int n = pointsPerSide(layer);
            total += crops * crops * n * n;
        }
        return total;
    }

    /**
     * Every problem with these parameters in one message, or null when they are valid.
     *
     * @param maxPointsPerSide the caller's bound on the grid (e.g. a server's configuration)
     */
    public String validate(int maxPointsPerSide) {
        StringBuilder problems = new StringBuilder();
        int max = Math.min(maxPointsPerSide, MAX_POINTS_PER_SIDE);
        if (pointsPerSide < 1 || pointsPerSide > max) {
            problem(problems, "pointsPerSide must be 1.." + max + ", got " + pointsPerSide);
        }
        fraction(problems, "predIouThreshold", predIouThreshold);
        fraction(problems, "stabilityThreshold", stabilityThreshold);
        fraction(problems, "boxNmsThreshold", boxNmsThreshold);
        fraction(problems, "cropNmsThreshold", cropNmsThreshold);
        if (!(stabilityOffset > 0f && stabilityOffset <= 100f)) {
            problem(problems, "stabilityOffset must be in (0, 100], got " + stabilityOffset);
        }
        if (minRegionArea < 0) {
            problem(problems, "minRegionArea must be >= 0, got " + minRegionArea);
        }
        if (cropLayers < 0 || cropLayers > MAX_CROP_LAYERS) {
            problem(problems, "cropLayers must be 0.." + MAX_CROP_LAYERS + ", got " + cropLayers);
        }
        if (!(cropOverlapRatio >= 0f && cropOverlapRatio < 1f)) {
            problem(problems, "cropOverlapRatio must be in [0, 1), got " + cropOverlapRatio);
        }
        if (cropPointsDownscale < 1 || cropPointsDownscale > 16) {
            problem(problems, "cropPointsDownscale must be 1..16, got " + cropPointsDownscale);
        }
        if (gridLevels < 1 || gridLevels > MAX_GRID_LEVELS) {
            problem(problems, "gridLevels must be 1.." + MAX_GRID_LEVELS + ", got " + gridLevels);
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    /** @throws IllegalArgumentException naming every problem */
    public EverythingParameters validated(int maxPointsPerSide) {
        String problems = validate(maxPointsPerSide);
        if (problems != null) {
            throw new IllegalArgumentException(problems);
        }
        return this;
    }

    private static void fraction(StringBuilder problems, String name, float value) {
        if (!(value >= 0f && value <= 1f)) { // also refuses NaN
            problem(problems, name + " must be in 0..1, got " + value);
        }
    }

    private static void problem(StringBuilder problems, String text) {
        if (problems.length() > 0) {
            problems.append("; ");
        }
        problems.append(text);
    }
}

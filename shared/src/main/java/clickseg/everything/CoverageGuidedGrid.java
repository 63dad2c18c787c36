package clickseg.everything;

import clickseg.decoder.DecoderResult;
import clickseg.prompt.CoordinateTransform;

/**
 * Where to prompt in segment-everything, coarse to fine. SAM's grid decodes every point of an n × n
 * grid although most of them land on an object a neighbouring point has already found, and each
 * point costs a whole decode. This plans in levels instead: a coarse grid first (every cell), then
 * grids twice as fine where only the cells whose centre no confident mask covers yet get a point, up to
 * the finest grid asked for, and no finer level more than twice the first level's points (spread evenly
 * over the uncovered cells when there are more: cluttered photos leave much uncovered, and every point
 * costs). Large objects are found by the first level; the later ones spend their points on what is left:
 * small objects, gaps and the parts the coarse masks missed. Twice, not once: with one first level's worth
 * a Berkeley photo whose 8 × 8 points found only its background lost its object, which every other
 * point of the 16 × 16 grid finds (EverythingBenchmark, first 20 photos per set).
 *
 * <p>Grids follow SAM's build_point_grid: cell (i, j) of an n × n grid has its centre at
 * ((j + 0.5) / n · width, (i + 0.5) / n · height). Coverage is kept per cell of the finest grid and
 * read off each confident mask's 256×256 low-resolution logits (logit > 0 at the cell centre): for each
 * point, the smallest of its masks that became a candidate (passed the thresholds, not dropped as the
 * background), so that neither the scene around an object nor the background hides what lies inside.
 */
public final class CoverageGuidedGrid {
    private static final int LOW_RES = DecoderResult.SIZE;

    private final int width;
    private final int height;
    private final int finest;            // points per side of the last level
    private final int coarsest;          // points per side of the first level
    private final boolean[] covered;     // (finest, finest) cells whose centre a kept mask covers
    private final float[] lowResX;       // (finest) cell-centre column in low-res logits, per column
    private final float[] lowResY;       // (finest) cell-centre row in low-res logits, per row
    private int level;                   // next level to hand out
    private int points;

    /**
     * @param width         the crop's (or image's) size in pixels
     * @param finestPerSide points per side of the finest level (SAM's points_per_side)
     * @param levels        how many levels: the first has finestPerSide / 2^(levels−1) points per side (at least 1)
     */
    public CoverageGuidedGrid(int width, int height, int finestPerSide, int levels) {
        if (finestPerSide < 1 || levels < 1) {
            throw new IllegalArgumentException("a coverage-guided grid needs at least 1 point per side and 1 level, got "
                    + finestPerSide + " and " + levels);
        }
        this.width = width;
        this.height = height;
        this.finest = finestPerSide;
        int first = finestPerSide;
        for (int k = 1; k < levels && first % 2 == 0 && first > 1; k++) {
            first /= 2;
        }
        this.coarsest = first;
        this.covered = new boolean[finest * finest];
        CoordinateTransform transform = new CoordinateTransform(width, height);
        lowResX = new float[finest];
        lowResY = new float[finest];
        for (int j = 0; j < finest; j++) {
            // original pixel → model frame (1024) → low-res logits (256): a quarter
            lowResX[j] = transform.toModelX((j + 0.5) / finest * width) / 4f;
            lowResY[j] = transform.toModelY((j + 0.5) / finest * height) / 4f;
        }
    }

    /** Points per side of the first level. */
    public int coarsestPerSide() {
        return coarsest;
    }

    /** True once every level has been handed out. */
    public boolean done() {
        return coarsest << level > finest;
    }

    /**
     * The next level's points, (X, Y) pairs in the crop's pixels: every cell of the first level, then
     * the cells of each finer level whose centre no mask covered so far. Empty when a level has nothing
     * left to find (the next call moves on to the level after it) or when {@link #done()}.
     */
    public float[] nextLevel() {
        if (done()) {
            return new float[0];
        }
        int n = coarsest << level;
        boolean everyCell = level == 0;
        level++;
        int step = finest / n; // finest cells per cell of this level, per side
        int[] cells = new int[n * n]; // i·n + j of the cells that get a point, row by row
        int open = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (everyCell || !coveredAtCentre(i, j, step)) {
                    cells[open++] = i * n + j;
                }
            }
        }
        int budget = 2 * coarsest * coarsest; // see the class comment
        int stride = everyCell ? 1 : (open + budget - 1) / budget; // every stride-th open cell, at most budget
        int count = stride == 0 ? 0 : (open + stride - 1) / stride;
        float[] xy = new float[2 * count];
        for (int k = 0; k < count; k++) {
            int cell = cells[k * stride];
            xy[2 * k] = (float) ((cell % n + 0.5) / n * width);
            xy[2 * k + 1] = (float) ((cell / n + 0.5) / n * height);
        }
        points += count;
        return xy;
    }

    /**
     * Whether the centre of cell (i, j) of a grid with step finest cells per side is covered: for an
     * odd step the centre is a finest cell's centre; for an even one it is the corner shared by four
     * finest cells, and counts as covered when all four are.
     */
    private boolean coveredAtCentre(int i, int j, int step) {
        if (step % 2 == 1) {
            int fi = i * step + step / 2;
            int fj = j * step + step / 2;
            return covered[fi * finest + fj];
        }
        int fi = i * step + step / 2;
        int fj = j * step + step / 2;
        return covered[(fi - 1) * finest + fj - 1] && covered[(fi - 1) * finest + fj]
                && covered[fi * finest + fj - 1] && covered[fi * finest + fj];
    }

    /**
     * Marks the finest cells whose centre lies inside a kept mask.
     *
     * @param lowResLogits the decoder's (4, 256, 256) logits (or one plane)
     * @param offset       where the kept mask's plane starts
     */
    public void cover(float[] lowResLogits, int offset) {
        for (int i = 0; i < finest; i++) {
            int y = Math.min(LOW_RES - 1, (int) lowResY[i]);
            for (int j = 0; j < finest; j++) {
                int x = Math.min(LOW_RES - 1, (int) lowResX[j]);
                if (lowResLogits[offset + y * LOW_RES + x] > 0f) {
                    covered[i * finest + j] = true;
                }
            }
        }
    }

    /** Points handed out so far, over all levels. */
    public int points() {
        return points;
    }

    /** The share of the finest cells covered so far (0..1). */
    public double coveredShare() {
        int n = 0;
        for (boolean c : covered) {
            n += c ? 1 : 0;
        }
        return (double) n / covered.length;
    }
}

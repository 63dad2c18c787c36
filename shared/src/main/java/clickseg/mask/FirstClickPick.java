package clickseg.mask;

/**
 * Which of SAM's three multimask outputs (masks 1–3: roughly part, object, whole) to show after a
 * single click, computed from the 256×256 low-resolution logits so the page (which holds only those)
 * and the server pick the same mask.
 *
 * <p>{@link #SAM}: the highest predicted IoU, what SAM's single-mask export returns. Its IoU head
 * tends to favour the small, tight mask around the click: on the Berkeley starfish it shows a
 * 54-pixel tile (predicted IoU 0.91) while mask 3 is the whole starfish.
 *
 * <p>{@link #CENTRAL}: people click near the middle of what they mean. For each mask, the click's
 * centrality is its distance to the mask's boundary divided by the radius of a disc of the mask's
 * area (1 at the centre of a round mask, 0 on or outside the boundary). A small mask grown around
 * the click is central too, so centrality alone does not separate part from object; what it does is
 * rule out masks the click sits at the edge of. The score is predicted IoU × stability × centrality:
 * each factor is a reason to believe the mask (the model's own estimate, how little the mask moves
 * when its threshold moves, and the click being inside it rather than at its rim), and the product
 * needs all three. Measured on the ground-truth sets (benchmarks' FirstClickRuleBenchmark) before it
 * became the default.
 */
public enum FirstClickPick {
    SAM,
    CENTRAL;

    public static final int LOW_RES = 256;
    private static final int MASKS = 4;
    private static final int PLANE = LOW_RES * LOW_RES;

    /** The default for a single click, used by the page and by the server's {@code /segment}. */
    public static final FirstClickPick DEFAULT = CENTRAL;

    /**
     * @param lowResLogits (4, 256, 256) the decoder's logits, mask 0 first
     * @param iou          (4) predicted IoU per mask
     * @param stability    (4) stability score per mask
     * @param clickX       the click in the 1024-pixel model frame ({@code CoordinateTransform.toModelX})
     * @param clickY       likewise
     * @param resizedWidth the image's width in the model frame (the rest of the frame is padding)
     * @return the mask to show: 1, 2 or 3
     */
    public int pick(float[] lowResLogits, float[] iou, float[] stability, float clickX, float clickY,
                    int resizedWidth, int resizedHeight) {
        int best = 1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int m = 1; m < MASKS; m++) {
            double score = this == SAM ? iou[m]
                    : (double) iou[m] * stability[m]
                      * centrality(lowResLogits, m * PLANE, clickX, clickY, resizedWidth, resizedHeight);
            if (score > bestScore) { // first maximum wins, like argmax
                bestScore = score;
                best = m;
            }
        }
        return best;
    }

    /**
     * How central a click sits in one low-resolution mask (logit &gt; 0): its distance to the nearest
     * outside cell (the padding beyond the image counts as outside), over the radius of a disc of the
     * mask's area, capped at 1; 0 when the click's cell is outside the mask.
     *
     * @param offset index of the mask's first logit
     */
    public static double centrality(float[] lowResLogits, int offset, float clickX, float clickY, int resizedWidth,
                                    int resizedHeight) {
        // One low-resolution cell covers 4×4 model pixels; only cells over the image count.
        int cols = Math.min(LOW_RES, (resizedWidth + 3) / 4);
        int rows = Math.min(LOW_RES, (resizedHeight + 3) / 4);
        double cx = clickX / 4.0 - 0.5; // cell centres sit at integer coordinates
        double cy = clickY / 4.0 - 0.5;
        int ix = (int) Math.round(cx);
        int iy = (int) Math.round(cy);
        if (ix < 0 || iy < 0 || ix >= cols || iy >= rows || !(lowResLogits[offset + iy * LOW_RES + ix] > 0f)) {
            return 0;
        }
        long area = 0;
        // The frame's edges are outside: the nearest of them bounds the distance from the start.
        double nearest2 = edgeDistance2(cx, cy, cols, rows);
        for (int y = 0; y < rows; y++) {
            int row = offset + y * LOW_RES;
            double dy = y - cy;
            for (int x = 0; x < cols; x++) {
                if (lowResLogits[row + x] > 0f) {
                    area++;
                } else {
                    double dx = x - cx;
                    double d2 = dx * dx + dy * dy;
                    if (d2 < nearest2) {
                        nearest2 = d2;
                    }
                }
            }
        }
        double radius = Math.sqrt(area / Math.PI);
        return Math.min(1.0, Math.sqrt(nearest2) / radius);
    }

    /**
     * A low-resolution mask's share of the image (0..1): cells with logit &gt; 0 over the cells that cover
     * the image, so the page can say how large each candidate is without upsampling it.
     */
    public static double areaFraction(float[] lowResLogits, int offset, int resizedWidth, int resizedHeight) {
        int cols = Math.min(LOW_RES, (resizedWidth + 3) / 4);
        int rows = Math.min(LOW_RES, (resizedHeight + 3) / 4);
        long area = 0;
        for (int y = 0; y < rows; y++) {
            int row = offset + y * LOW_RES;
            for (int x = 0; x < cols; x++) {
                if (lowResLogits[row + x] > 0f) {
                    area++;
                }
            }
        }
        return cols * rows == 0 ? 0 : area / (double) (cols * rows);
    }

    /** Squared distance from (cx, cy) to the first cell beyond the cols×rows grid, on the nearest side. */
    private static double edgeDistance2(double cx, double cy, int cols, int rows) {
        double d = Math.min(Math.min(cx + 1, cols - cx), Math.min(cy + 1, rows - cy));
        return d * d;
    }
}

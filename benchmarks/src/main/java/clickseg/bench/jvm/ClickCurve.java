package clickseg.bench.jvm;

import java.util.List;

/**
 * One simulated session on one image: the IoU after each click and the clicks placed.
 *
 * @param iou    (maxClicks) IoU after click k+1; past the last click placed the last value carries forward,
 *               because a session stops only once its IoU no longer matters for the reported numbers
 * @param clicks the clicks placed, in order
 */
record ClickCurve(double[] iou, List<ClickSimulation.Click> clicks) {

    int maxClicks() {
        return iou.length;
    }

    /** IoU after k clicks (1-based), or NaN when the session was capped below k clicks. */
    double iouAfter(int clicks) {
        return clicks <= iou.length ? iou[clicks - 1] : Double.NaN;
    }

    /** NoC: the number of clicks after which IoU first reaches the threshold, maxClicks when it never does. */
    int clicksToReach(double threshold) {
        for (int k = 0; k < iou.length; k++) {
            if (iou[k] >= threshold) {
                return k + 1;
            }
        }
        return iou.length;
    }
}

package clickseg.bench.jvm;

import clickseg.prompt.Prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard click simulation of interactive segmentation (RITM's {@code Clicker}, used by SAM's paper):
 * every click goes to the error pixel farthest from the boundary of its error region, a missed object pixel
 * (false negative) giving a positive click and a spilled background pixel (false positive) a negative one.
 *
 * <p>Exactly as RITM: distances are Euclidean to the nearest pixel outside the error region, the image border
 * counting as outside; false negatives and false positives compete by that distance (a tie goes to the
 * negative click); pixels already clicked are never chosen again; ties between pixels go to the first in
 * row-major order. With no mask yet every object pixel is a false negative, so the first click is the
 * object's interior-most pixel. Ignored pixels (GrabCut's 128 band) are neither errors nor counted in IoU.
 *
 * <p>One instance per image: its scratch is sized once and {@link #nextClick} allocates nothing.
 */
final class ClickSimulation {
    /** One click in original image pixels. */
    record Click(int x, int y, boolean positive) {
    }

    private final int[] labels; // (H, W) 1 object, 0 background, GroundTruthPair.IGNORE left out
    private final int width;
    private final int height;
    private final SquaredDistanceTransform transform;
    private final boolean[] clicked;         // (H, W) pixels that already hold a click
    private final boolean[] falseNegative;   // (H, W)
    private final boolean[] falsePositive;   // (H, W)
    private final double[] negativeDistance; // (H, W) squared distance inside the false-negative region
    private final double[] positiveDistance; // (H, W) squared distance inside the false-positive region

    ClickSimulation(int[] labels, int width, int height) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("labels must be " + width + "x" + height);
        }
        this.labels = labels;
        this.width = width;
        this.height = height;
        transform = new SquaredDistanceTransform(width, height);
        clicked = new boolean[width * height];
        falseNegative = new boolean[width * height];
        falsePositive = new boolean[width * height];
        negativeDistance = new double[width * height];
        positiveDistance = new double[width * height];
    }

    /**
     * Places the next click against the current prediction and remembers it.
     *
     * @param predicted (H, W) the current mask (all false before the first click)
     * @return the click, or null when no unclicked error pixel is left
     */
    Click nextClick(boolean[] predicted) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            falseNegative[i] = label == 1 && !predicted[i];
            falsePositive[i] = label == 0 && predicted[i];
        }
        transform.compute(falseNegative, negativeDistance);
        transform.compute(falsePositive, positiveDistance);
        int missed = farthestUnclicked(negativeDistance);
        int spilled = farthestUnclicked(positiveDistance);
        double missedDistance = missed < 0 ? 0 : negativeDistance[missed];
        double spilledDistance = spilled < 0 ? 0 : positiveDistance[spilled];
        if (missedDistance == 0 && spilledDistance == 0) {
            return null;
        }
        boolean positive = missedDistance > spilledDistance;
        int at = positive ? missed : spilled;
        clicked[at] = true;
        return new Click(at % width, at / width, positive);
    }

    /** Index of the largest distance among unclicked pixels (first in row-major order on ties), or -1 if all are 0. */
    private int farthestUnclicked(double[] distance) {
        int best = -1;
        double bestDistance = 0;
        for (int i = 0; i < distance.length; i++) {
            if (distance[i] > bestDistance && !clicked[i]) {
                bestDistance = distance[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * Runs one session: click, segment, measure, until maxClicks, or until at least minClicks were placed and
     * IoU reached stopIou (later clicks cannot change NoC at or below stopIou nor mIoU at or below minClicks),
     * or until no error is left. This instance must be fresh (no clicks placed yet).
     *
     * @param feedBack whether each click after the first gets the previous click's low-resolution logits
     */
    ClickCurve run(InteractiveSegmenter segmenter, boolean feedBack, int maxClicks, int minClicks, double stopIou)
            throws Exception {
        double[] iou = new double[maxClicks];
        List<Click> clicks = new ArrayList<>();
        boolean[] mask = new boolean[width * height];  // (H, W)
        float[] previous = new float[256 * 256];       // (256, 256) low-res logits of the last click
        float[] current = new float[256 * 256];        // (256, 256)
        Prompt prompt = Prompt.empty();
        int placed = 0;
        while (placed < maxClicks) {
            Click click = nextClick(mask);
            if (click == null) {
                break;
            }
            prompt = prompt.withPoint(click.x(), click.y(), click.positive() ? Prompt.FOREGROUND : Prompt.BACKGROUND);
            segmenter.segment(prompt, feedBack && placed > 0 ? previous : null, current, mask);
            float[] t = previous;
            previous = current;
            current = t;
            clicks.add(click);
            iou[placed] = iou(mask, labels);
            placed++;
            if (placed >= minClicks && iou[placed - 1] >= stopIou) {
                break;
            }
        }
        double last = placed == 0 ? iou(mask, labels) : iou[placed - 1];
        for (int k = placed; k < maxClicks; k++) {
            iou[k] = last;
        }
        return new ClickCurve(iou, clicks);
    }

    /** IoU of a predicted mask (H, W) with the ground truth, ignored pixels left out; 1 when both are empty. */
    static double iou(boolean[] predicted, int[] labels) {
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (labels[i] == GroundTruthPair.IGNORE) {
                continue;
            }
            boolean truth = labels[i] == 1;
            if (predicted[i] && truth) {
                intersection++;
            }
            if (predicted[i] || truth) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }
}

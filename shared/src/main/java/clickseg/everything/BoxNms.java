package clickseg.everything;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy non-maximum suppression on mask boxes (torchvision's nms as SAM uses it): visit masks by
 * descending score and keep one unless its box overlaps an already kept box by more than the IoU
 * threshold. Equal scores keep their input order.
 */
public final class BoxNms {
    private BoxNms() {
    }

    /**
     * @param scores (masks.size()) higher is better
     * @return the kept masks, best score first
     */
    public static List<GeneratedMask> keep(List<GeneratedMask> masks, float[] scores, float iouThreshold) {
        int n = masks.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a])); // stable merge sort
        List<GeneratedMask> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GeneratedMask candidate = masks.get(order[i]);
            boolean duplicate = false;
            for (GeneratedMask k : kept) {
                if (boxIou(candidate, k) > iouThreshold) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /** IoU of two COCO boxes (x, y, width, height) as areas of pixel rectangles. */
    static double boxIou(GeneratedMask a, GeneratedMask b) {
        long ix = Math.max(0, Math.min(a.boxX() + a.boxWidth(), b.boxX() + b.boxWidth()) - Math.max(a.boxX(), b.boxX()));
        long iy = Math.max(0, Math.min(a.boxY() + a.boxHeight(), b.boxY() + b.boxHeight()) - Math.max(a.boxY(), b.boxY()));
        long intersection = ix * iy;
        long union = (long) a.boxWidth() * a.boxHeight() + (long) b.boxWidth() * b.boxHeight() - intersection;
        return union == 0 ? 0 : (double) intersection / union;
    }
}

package clickseg.bench.jvm;

/**
 * The standard first click (RITM / SAM evaluation): the object pixel farthest from the object's boundary,
 * the image border counting as boundary, by an exact Euclidean distance transform.
 */
final class FirstClick {
    private FirstClick() {
    }

    /** @return {x, y} of the interior-most object pixel, or null when the mask has no object pixel */
    static int[] farthestFromBoundary(int[] labels, int width, int height) {
        boolean[] object = new boolean[width * height]; // (H, W)
        for (int i = 0; i < object.length; i++) {
            object[i] = labels[i] == 1;
        }
        double[] d = new double[width * height]; // (H, W) squared distance to the nearest non-object pixel
        new SquaredDistanceTransform(width, height).compute(object, d);
        int best = -1;
        for (int i = 0; i < d.length; i++) {
            if (object[i] && (best < 0 || d[i] > d[best])) {
                best = i;
            }
        }
        return best < 0 ? null : new int[]{best % width, best / width};
    }
}

package clickseg.prompt;

/**
 * What the user said about the object: points with labels and an optional box, all as (X, Y) in
 * ORIGINAL image pixels. Immutable; {@link #withPoint} and {@link #withBox} return new prompts.
 *
 * <p>Labels: {@link #FOREGROUND} 1, {@link #BACKGROUND} 0. The box is XYXY (top-left,
 * bottom-right) and becomes two model points labelled 2 and 3; without a box, one padding point
 * (0, 0) labelled -1 is appended, as SAM's ONNX export expects.
 */
public final class Prompt {
    public static final int BACKGROUND = 0;
    public static final int FOREGROUND = 1;
    public static final int BOX_TOP_LEFT = 2;
    public static final int BOX_BOTTOM_RIGHT = 3;
    public static final int PADDING = -1;
    /** More points than this would only slow the decoder down; SAM was trained with far fewer. */
    public static final int MAX_POINTS = 64;

    private static final Prompt EMPTY = new Prompt(new float[0], new int[0], null);

    private final float[] pointXy;   // (P, 2) original pixels
    private final int[] pointLabels; // (P) 1 foreground, 0 background
    private final float[] box;       // (4) x0, y0, x1, y1 original pixels, or null

    private Prompt(float[] pointXy, int[] pointLabels, float[] box) {
        this.pointXy = pointXy;
        this.pointLabels = pointLabels;
        this.box = box;
    }

    public static Prompt empty() {
        return EMPTY;
    }

    public static Prompt point(float x, float y, int label) {
        return EMPTY.withPoint(x, y, label);
    }

    /** xy (P, 2) and labels (P); both are copied. */
    public static Prompt points(float[] xy, int[] labels) {
        if (xy.length != 2 * labels.length) {
            throw new IllegalArgumentException("need 2 coordinates per label, got " + xy.length + " for " + labels.length);
        }
        Prompt p = EMPTY;
        for (int i = 0; i < labels.length; i++) {
            p = p.withPoint(xy[2 * i], xy[2 * i + 1], labels[i]);
        }
        return p;
    }

    public static Prompt box(float x0, float y0, float x1, float y1) {
        return EMPTY.withBox(x0, y0, x1, y1);
    }

    public Prompt withPoint(float x, float y, int label) {
        if (label != FOREGROUND && label != BACKGROUND) {
            throw new IllegalArgumentException("point label must be 1 (foreground) or 0 (background), got " + label);
        }
        if (!(Float.isFinite(x) && Float.isFinite(y))) {
            throw new IllegalArgumentException("point coordinates must be finite, got " + x + ", " + y);
        }
        if (pointLabels.length >= MAX_POINTS) {
            throw new IllegalArgumentException("at most " + MAX_POINTS + " points per prompt");
        }
        float[] xy = new float[pointXy.length + 2];
        System.arraycopy(pointXy, 0, xy, 0, pointXy.length);
        xy[pointXy.length] = x;
        xy[pointXy.length + 1] = y;
        int[] labels = new int[pointLabels.length + 1];
        System.arraycopy(pointLabels, 0, labels, 0, pointLabels.length);
        labels[pointLabels.length] = label;
        return new Prompt(xy, labels, box);
    }

    /** Any two opposite corners; they are ordered into top-left, bottom-right. */
    public Prompt withBox(float x0, float y0, float x1, float y1) {
        if (!(Float.isFinite(x0) && Float.isFinite(y0) && Float.isFinite(x1) && Float.isFinite(y1))) {
            throw new IllegalArgumentException("box coordinates must be finite");
        }
        return new Prompt(pointXy, pointLabels, new float[] {Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1),
                Math.max(y0, y1)});
    }

    public Prompt withoutBox() {
        return new Prompt(pointXy, pointLabels, null);
    }

    public int pointCount() {
        return pointLabels.length;
    }

    public float pointX(int i) {
        return pointXy[2 * i];
    }

    public float pointY(int i) {
        return pointXy[2 * i + 1];
    }

    public int pointLabel(int i) {
        return pointLabels[i];
    }

    /** (P, 2) x, y in original pixels (a copy). */
    public float[] points() {
        return pointXy.clone();
    }

    /** (P) 1 foreground, 0 background (a copy). */
    public int[] labels() {
        return pointLabels.clone();
    }

    /**
     * True when SAM's single-mask export picks among the three multimask outputs: one point alone, or
     * a box alone (a box counts as two prompt points). Then a page offers the three candidates.
     */
    public boolean offersCandidates() {
        return (pointLabels.length == 1 && box == null) || (pointLabels.length == 0 && box != null);
    }

    public boolean hasBox() {
        return box != null;
    }

    /** The box as x0, y0, x1, y1 (a copy), or null. */
    public float[] box() {
        return box == null ? null : box.clone();
    }

    public boolean isEmpty() {
        return pointLabels.length == 0 && box == null;
    }

    /**
     * The one "inside the image" check (the server's requests, shares, the embed's setPrompts): every
     * point and both box corners within {@code [0, width] × [0, height]} (continuous pixel coordinates).
     *
     * @return null when they are, else what is outside, naming the field: {@code points[2]: …}, {@code box: …}
     */
    public String outsideOf(int width, int height) {
        for (int i = 0; i < pointLabels.length; i++) {
            float x = pointXy[2 * i];
            float y = pointXy[2 * i + 1];
            if (!(x >= 0 && x <= width && y >= 0 && y <= height)) {
                return "points[" + i + "]: (" + x + ", " + y + ") is not inside the " + width + " × " + height
                        + " image (x in 0.." + width + ", y in 0.." + height + ")";
            }
        }
        if (box != null && !(box[0] >= 0 && box[2] <= width && box[1] >= 0 && box[3] <= height)) {
            return "box: [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3] + "] is not inside the " + width
                    + " × " + height + " image (x in 0.." + width + ", y in 0.." + height + ")";
        }
        return null;
    }

    /** Points the model sees: the clicks, then the two box corners or one padding point. */
    public int modelPointCount() {
        return pointLabels.length + (box != null ? 2 : 1);
    }

    /**
     * Writes the model's point_coords (in the resized 1024 frame) and point_labels.
     *
     * @param coords (modelPointCount, 2) output
     * @param labels (modelPointCount) output
     */
    public void toModelPoints(CoordinateTransform transform, float[] coords, int[] labels) {
        int n = pointLabels.length;
        for (int i = 0; i < n; i++) {
            coords[2 * i] = transform.toModelX(pointXy[2 * i]);
            coords[2 * i + 1] = transform.toModelY(pointXy[2 * i + 1]);
            labels[i] = pointLabels[i];
        }
        if (box != null) {
            coords[2 * n] = transform.toModelX(box[0]);
            coords[2 * n + 1] = transform.toModelY(box[1]);
            labels[n] = BOX_TOP_LEFT;
            coords[2 * n + 2] = transform.toModelX(box[2]);
            coords[2 * n + 3] = transform.toModelY(box[3]);
            labels[n + 1] = BOX_BOTTOM_RIGHT;
        } else {
            coords[2 * n] = 0f;
            coords[2 * n + 1] = 0f;
            labels[n] = PADDING;
        }
    }
}

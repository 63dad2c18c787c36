package clickseg.web.session;

import clickseg.prompt.Prompt;

/**
 * The page's prompt at one moment (shared's {@link Prompt} is the wire form: {@link #toPrompt}, {@link #of};
 * this one stays while the decoder workers' pool takes it): points in ORIGINAL image pixels with SAM labels
 * (1 foreground, 0 background) and an optional box. Immutable; every edit makes a new one,
 * which is what lets undo and redo restore an earlier prompt exactly.
 */
public final class PromptState {
    public static final int POSITIVE = 1;
    public static final int NEGATIVE = 0;
    public static final PromptState EMPTY = new PromptState(new float[0], new int[0], null);

    private final float[] points; // (n, 2): x, y in original pixels
    private final int[] labels; // (n)
    private final float[] box; // (4): x0, y0, x1, y1 in original pixels, or null

    private PromptState(float[] points, int[] labels, float[] box) {
        this.points = points;
        this.labels = labels;
        this.box = box;
    }

    public int pointCount() {
        return labels.length;
    }

    public boolean hasBox() {
        return box != null;
    }

    public boolean isEmpty() {
        return labels.length == 0 && box == null;
    }

    /** Copies, so callers can hand the arrays to a worker message. (n, 2) */
    public float[] points() {
        return points.clone();
    }

    public int[] labels() {
        return labels.clone();
    }

    /** (4) x0, y0, x1, y1 or null. */
    public float[] box() {
        return box == null ? null : box.clone();
    }

    public float pointX(int i) {
        return points[2 * i];
    }

    public float pointY(int i) {
        return points[2 * i + 1];
    }

    public int label(int i) {
        return labels[i];
    }

    /**
     * True when SAM's single-mask export would pick among the three multimask outputs: one
     * point alone, or a box alone (a box counts as two prompt points). Then the page offers
     * the three candidates.
     */
    public boolean offersCandidates() {
        return (labels.length == 1 && box == null) || (labels.length == 0 && box != null);
    }

    public PromptState withPoint(float x, float y, int label) {
        int n = labels.length;
        float[] p = new float[2 * n + 2];
        System.arraycopy(points, 0, p, 0, 2 * n);
        p[2 * n] = x;
        p[2 * n + 1] = y;
        int[] l = new int[n + 1];
        System.arraycopy(labels, 0, l, 0, n);
        l[n] = label;
        return new PromptState(p, l, box);
    }

    /** Replaces the box; corners in any order, stored as top-left then bottom-right. */
    public PromptState withBox(float xa, float ya, float xb, float yb) {
        float[] b = {Math.min(xa, xb), Math.min(ya, yb), Math.max(xa, xb), Math.max(ya, yb)};
        return new PromptState(points, labels, b);
    }

    /** The same prompt in shared's type (what the JSON codec and the bounds check take). */
    public Prompt toPrompt() {
        Prompt prompt = Prompt.points(points, labels);
        return box == null ? prompt : prompt.withBox(box[0], box[1], box[2], box[3]);
    }

    /** A prompt read by shared's JSON codec, as the page keeps it. */
    public static PromptState of(Prompt prompt) {
        PromptState state = EMPTY;
        for (int i = 0; i < prompt.pointCount(); i++) {
            state = state.withPoint(prompt.pointX(i), prompt.pointY(i), prompt.pointLabel(i));
        }
        float[] b = prompt.box();
        return b == null ? state : state.withBox(b[0], b[1], b[2], b[3]);
    }

    /** A hover probe: one foreground point, nothing else. */
    public static PromptState hoverAt(float x, float y) {
        return EMPTY.withPoint(x, y, POSITIVE);
    }
}

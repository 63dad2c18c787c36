package clickseg.web.session;

import clickseg.prompt.Prompt;

/**
 * A prompt the embedding page sends whole (the postMessage command {@code clickseg:setPrompts}),
 * checked before it reaches the decoder: points in ORIGINAL image pixels inside the image,
 * labels 1 (foreground) or 0 (background), an optional box {@code x0, y0, x1, y1} inside the
 * image with positive width and height, and at least a point or a box. A bad prompt is refused
 * with a message naming what is wrong; nothing about the page changes.
 */
public final class HostPrompt {
    /** More points than a person would ever click; bounds the work one message can ask for. */
    public static final int MAX_POINTS = Prompt.MAX_POINTS;

    private HostPrompt() {
    }

    /**
     * @param xy     (n, 2) x, y per point
     * @param labels (n) 1 or 0
     * @param box    (4) x0, y0, x1, y1, or null
     * @throws IllegalArgumentException what is wrong, in words
     */
    public static PromptState of(double[] xy, double[] labels, double[] box, int width, int height) {
        int n = labels.length;
        if (xy.length != 2 * n) {
            throw new IllegalArgumentException("points and labels must have the same length");
        }
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("at most " + MAX_POINTS + " points, got " + n);
        }
        if (n == 0 && box == null) {
            throw new IllegalArgumentException("a prompt needs at least one point or a box");
        }
        PromptState prompt = PromptState.EMPTY;
        Prompt checked = Prompt.empty(); // the same prompt in shared's type, for the one bounds check
        for (int i = 0; i < n; i++) {
            double x = xy[2 * i];
            double y = xy[2 * i + 1];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("points[" + i + "]: (" + x + ", " + y + ") is not inside the "
                        + width + " × " + height + " image: not numbers");
            }
            double label = labels[i];
            if (label != PromptState.POSITIVE && label != PromptState.NEGATIVE) {
                throw new IllegalArgumentException("label " + i + " is " + label
                        + "; use 1 (part of the object) or 0 (not part of it)");
            }
            prompt = prompt.withPoint((float) x, (float) y, (int) label);
            checked = checked.withPoint((float) x, (float) y, (int) label);
        }
        if (box != null) {
            if (box.length != 4) {
                throw new IllegalArgumentException("box must be [x0, y0, x1, y1]");
            }
            if (!(Double.isFinite(box[0]) && Double.isFinite(box[1]) && Double.isFinite(box[2])
                    && Double.isFinite(box[3]))) {
                throw new IllegalArgumentException("box: [x0, y0, x1, y1] must be numbers");
            }
            if (!(box[2] > box[0] && box[3] > box[1])) {
                throw new IllegalArgumentException("box [x0, y0, x1, y1] needs x1 > x0 and y1 > y0");
            }
            prompt = prompt.withBox((float) box[0], (float) box[1], (float) box[2], (float) box[3]);
            checked = checked.withBox((float) box[0], (float) box[1], (float) box[2], (float) box[3]);
        }
        String outside = checked.outsideOf(width, height);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
        return prompt;
    }
}

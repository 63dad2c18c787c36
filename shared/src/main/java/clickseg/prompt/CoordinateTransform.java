package clickseg.prompt;

/**
 * SAM's ResizeLongestSide for one image: the original size, the size it was resized to so that
 * the longest side is 1024 (each side int(side · 1024 / longest + 0.5), computed as SAM does in
 * double precision), and the scaling of (X, Y) pixel coordinates between the two.
 */
public final class CoordinateTransform {
    public static final int TARGET_LENGTH = 1024;

    private final int originalWidth;
    private final int originalHeight;
    private final int resizedWidth;
    private final int resizedHeight;

    public CoordinateTransform(int originalWidth, int originalHeight) {
        if (originalWidth <= 0 || originalHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + originalWidth + "x" + originalHeight);
        }
        this.originalWidth = originalWidth;
        this.originalHeight = originalHeight;
        double scale = TARGET_LENGTH * 1.0 / Math.max(originalWidth, originalHeight);
        this.resizedWidth = (int) (originalWidth * scale + 0.5);
        this.resizedHeight = (int) (originalHeight * scale + 0.5);
    }

    public int originalWidth() {
        return originalWidth;
    }

    public int originalHeight() {
        return originalHeight;
    }

    /** Width of the image inside the 1024×1024 model input (the rest is zero padding). */
    public int resizedWidth() {
        return resizedWidth;
    }

    public int resizedHeight() {
        return resizedHeight;
    }

    /** X in original pixels → X in the resized (model) frame: x · newW / oldW. */
    public float toModelX(double x) {
        return (float) (x * ((double) resizedWidth / originalWidth));
    }

    public float toModelY(double y) {
        return (float) (y * ((double) resizedHeight / originalHeight));
    }

    /** X in the resized frame → original pixels (the inverse of {@link #toModelX}). */
    public double toOriginalX(double modelX) {
        return modelX * ((double) originalWidth / resizedWidth);
    }

    public double toOriginalY(double modelY) {
        return modelY * ((double) originalHeight / resizedHeight);
    }
}

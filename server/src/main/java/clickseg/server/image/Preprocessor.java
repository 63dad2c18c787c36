package clickseg.server.image;

import clickseg.server.model.Preprocessing;

/**
 * SAM v1 pre-processing: resize the longest side to {@code longestSide} (PIL bilinear with antialiasing),
 * normalise each channel with the model's mean and std on the 0-255 scale, zero-pad bottom and right,
 * lay out as CHW floats.
 */
public final class Preprocessor {
    private final int side;
    private final float[] mean; // (3)
    private final float[] std;  // (3)

    public Preprocessor(Preprocessing constants) {
        this.side = constants.longestSide();
        this.mean = constants.pixelMean().clone();
        this.std = constants.pixelStd().clone();
    }

    /** SAM's ResizeLongestSide.get_preprocess_shape: each side is int(side * target / longest + 0.5). */
    public static int[] resizedSize(int width, int height, int longestSide) {
        double scale = longestSide * 1.0 / Math.max(width, height);
        // A sliver thinner than half a pixel after scaling would round to nothing: keep one pixel.
        return new int[]{Math.max(1, (int) (width * scale + 0.5)), Math.max(1, (int) (height * scale + 0.5))};
    }

    /** Heap {@link #prepare} allocates besides its input: the (3, side, side) floats and the resized bytes. */
    public long workingBytes() {
        return (long) side * side * (3 * 4 + 3);
    }

    public int longestSide() {
        return side;
    }

    public EncoderInput prepare(DecodedImage image) {
        // A subsampled reading is resized to the size the full image would have been resized to.
        int[] size = resizedSize(image.originalWidth(), image.originalHeight(), side);
        int w = size[0];
        int h = size[1];
        byte[] resized = AntialiasedBilinearResize.resize(image.rgb(), image.width(), image.height(), w, h); // (h, w, 3)
        int plane = side * side;
        float[] chw = new float[3 * plane]; // (3, side, side), zero padding already in place
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float s = std[c];
            int planeBase = c * plane;
            for (int y = 0; y < h; y++) {
                int src = y * w * 3 + c;
                int dst = planeBase + y * side;
                for (int x = 0; x < w; x++) {
                    // torch: (x - pixel_mean) / pixel_std in float32
                    chw[dst + x] = ((resized[src + 3 * x] & 0xFF) - m) / s;
                }
            }
        }
        return new EncoderInput(chw, side, w, h, image.originalWidth(), image.originalHeight());
    }
}

package clickseg.mask;

import clickseg.prompt.CoordinateTransform;

/**
 * SAM's mask post-processing for one image size: 256×256 low-resolution logits → bilinear to
 * 1024×1024 → crop the unpadded resized part → bilinear to the original size → threshold at 0.
 *
 * <p>Bilinear sampling follows PyTorch's interpolate(align_corners=False) as exported to ONNX
 * Resize (pytorch_half_pixel): source = (dst + 0.5) / scale − 0.5, clamped to the input.
 *
 * <p>Both resizes are separable linear maps, so their composition is one too: along each axis an
 * output pixel reads at most 4 logits (2 taps of the second resize, each 2 taps of the first).
 * Those 4 taps per output column and per output row are computed once per grid size; then the
 * logit rows are resampled horizontally (256 × width × 4) and each output pixel is a 4-tap
 * vertical sum, thresholded on the spot. Neither the 1024 frame nor the crop is ever
 * materialised, and the output grid may be coarser than the image (a preview at screen
 * resolution samples the same surface at the centres of its larger cells). Buffers are sized
 * once per grid size; {@link #upsample} and {@link #toMask} allocate nothing after that.
 */
public final class MaskUpsampler {
    public static final int LOW_RES = 256;
    public static final float THRESHOLD = 0f;
    private static final int TAPS = 4;

    private final CoordinateTransform transform;
    private int gridWidth = -1;                  // grid the taps below are for
    private int gridHeight = -1;
    private int[] columnIndex = new int[0];      // (gridWidth, 4) logit column per tap
    private float[] columnWeight = new float[0]; // (gridWidth, 4)
    private int[] rowIndex = new int[0];         // (gridHeight, 4) logit row per tap
    private float[] rowWeight = new float[0];    // (gridHeight, 4)
    private float[] rows = new float[0];         // (256, gridWidth) logit rows resampled horizontally
    private int rowsUsed;                        // logit rows 0..rowsUsed-1 carry weight for some output row

    public MaskUpsampler(CoordinateTransform transform) {
        this.transform = transform;
    }

    public CoordinateTransform transform() {
        return transform;
    }

    /** Full-size logits (height, width) from low-res logits (256, 256) at offset. */
    public void upsample(float[] lowRes, int offset, float[] out) {
        int width = transform.originalWidth();
        int height = transform.originalHeight();
        if (out.length < width * height) {
            throw new IllegalArgumentException("output needs " + width * height + " values");
        }
        resampleRows(lowRes, offset, width, height);
        for (int y = 0; y < height; y++) {
            int t = y * TAPS;
            int r0 = rowIndex[t] * width;
            int r1 = rowIndex[t + 1] * width;
            int r2 = rowIndex[t + 2] * width;
            int r3 = rowIndex[t + 3] * width;
            float w0 = rowWeight[t];
            float w1 = rowWeight[t + 1];
            float w2 = rowWeight[t + 2];
            float w3 = rowWeight[t + 3];
            int o = y * width;
            for (int x = 0; x < width; x++) {
                out[o + x] = w0 * rows[r0 + x] + w1 * rows[r1 + x] + w2 * rows[r2 + x] + w3 * rows[r3 + x];
            }
        }
    }

    /**
     * The thresholded mask (logit &gt; 0) on {@code out}'s grid: the original size for a full mask,
     * or any coarser grid covering the same image for a preview.
     *
     * @return the number of inside pixels of out
     */
    public long toMask(float[] lowRes, int offset, BinaryMask out) {
        int width = out.width();
        int height = out.height();
        resampleRows(lowRes, offset, width, height);
        byte[] pixels = out.pixels();
        long area = 0;
        for (int y = 0; y < height; y++) {
            int t = y * TAPS;
            int r0 = rowIndex[t] * width;
            int r1 = rowIndex[t + 1] * width;
            int r2 = rowIndex[t + 2] * width;
            int r3 = rowIndex[t + 3] * width;
            float w0 = rowWeight[t];
            float w1 = rowWeight[t + 1];
            float w2 = rowWeight[t + 2];
            float w3 = rowWeight[t + 3];
            int o = y * width;
            for (int x = 0; x < width; x++) {
                float v = w0 * rows[r0 + x] + w1 * rows[r1 + x] + w2 * rows[r2 + x] + w3 * rows[r3 + x];
                byte inside = (byte) (v > THRESHOLD ? 1 : 0);
                pixels[o + x] = inside;
                area += inside;
            }
        }
        return area;
    }

    /** As {@link #toMask(float[], int, BinaryMask)}; the upsampler needs no full-size scratch, so it is unused. */
    public void toMask(float[] lowRes, int offset, float[] unusedScratch, BinaryMask out) {
        toMask(lowRes, offset, out);
    }

    /** Convenience: allocates the original-size result. */
    public BinaryMask toMask(float[] lowRes, int offset) {
        BinaryMask mask = new BinaryMask(transform.originalWidth(), transform.originalHeight());
        toMask(lowRes, offset, mask);
        return mask;
    }

    /** rows[r * width + x] = Σ_k columnWeight[x, k] · lowRes[r, columnIndex[x, k]] for the rows in use. */
    private void resampleRows(float[] lowRes, int offset, int width, int height) {
        useGrid(width, height);
        for (int r = 0; r < rowsUsed; r++) {
            int src = offset + r * LOW_RES;
            int dst = r * width;
            for (int x = 0; x < width; x++) {
                int t = x * TAPS;
                rows[dst + x] = columnWeight[t] * lowRes[src + columnIndex[t]]
                        + columnWeight[t + 1] * lowRes[src + columnIndex[t + 1]]
                        + columnWeight[t + 2] * lowRes[src + columnIndex[t + 2]]
                        + columnWeight[t + 3] * lowRes[src + columnIndex[t + 3]];
            }
        }
    }

    private void useGrid(int width, int height) {
        if (width == gridWidth && height == gridHeight) {
            return;
        }
        if (width <= 0 || height <= 0 || width > transform.originalWidth() || height > transform.originalHeight()) {
            throw new IllegalArgumentException("a mask grid of " + width + "x" + height + " does not cover a "
                    + transform.originalWidth() + "x" + transform.originalHeight() + " image at most 1:1");
        }
        columnIndex = new int[width * TAPS];
        columnWeight = new float[width * TAPS];
        rowIndex = new int[height * TAPS];
        rowWeight = new float[height * TAPS];
        rows = new float[LOW_RES * width];
        composeTaps(width, transform.resizedWidth(), columnIndex, columnWeight);
        composeTaps(height, transform.resizedHeight(), rowIndex, rowWeight);
        rowsUsed = 0;
        for (int i = 0; i < rowIndex.length; i++) {
            if (rowWeight[i] != 0f && rowIndex[i] >= rowsUsed) {
                rowsUsed = rowIndex[i] + 1;
            }
        }
        for (int i = 0; i < rowIndex.length; i++) {
            if (rowWeight[i] == 0f) {
                rowIndex[i] = 0; // a weightless tap must not read a row that was not resampled
            }
        }
        gridWidth = width;
        gridHeight = height;
    }

    /**
     * Taps of the two chained half-pixel resizes along one axis: output o (of outSize, covering the
     * image) → resized position u (of resizedSize, the unpadded part of the 1024 frame) → logit i.
     */
    private static void composeTaps(int outSize, int resizedSize, int[] index, float[] weight) {
        double toResized = (double) resizedSize / outSize;
        for (int o = 0; o < outSize; o++) {
            double u = clamp((o + 0.5) * toResized - 0.5, resizedSize - 1);
            int u0 = (int) u;
            int u1 = Math.min(u0 + 1, resizedSize - 1);
            double share = u - u0;
            int t = o * TAPS;
            lowResTaps(u0, 1.0 - share, index, weight, t);
            lowResTaps(u1, share, index, weight, t + 2);
        }
    }

    /** The two logits behind resized position u (256 → 1024 is a scale of 4), times that position's share. */
    private static void lowResTaps(int u, double share, int[] index, float[] weight, int t) {
        double p = clamp((u + 0.5) * LOW_RES / CoordinateTransform.TARGET_LENGTH - 0.5, LOW_RES - 1);
        int i0 = (int) p;
        int i1 = Math.min(i0 + 1, LOW_RES - 1);
        double lp = p - i0;
        index[t] = i0;
        weight[t] = (float) (share * (1.0 - lp));
        index[t + 1] = i1;
        weight[t + 1] = (float) (share * lp);
    }

    private static double clamp(double source, int last) {
        return source < 0 ? 0 : Math.min(source, last);
    }
}

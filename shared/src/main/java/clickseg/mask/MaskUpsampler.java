package clickseg.mask;

import clickseg.prompt.CoordinateTransform;

/**
 * SAM's mask post-processing for one image size: 256×256 low-resolution logits → bilinear to
 * 1024×1024 → crop the unpadded resized part → bilinear to the original size → threshold at 0.
 *
 * <p>Bilinear sampling follows PyTorch's interpolate(align_corners=False) as exported to ONNX
 * Resize (pytorch_half_pixel): source = (dst + 0.5) / scale − 0.5, clamped to the input. Both
 * resizes are done separably; only the cropped part of the 1024 stage is computed. Buffers are
 * sized once per image size; {@link #upsample} allocates nothing.
 */
public final class MaskUpsampler {
    public static final int LOW_RES = 256;
    public static final float THRESHOLD = 0f;

    private final CoordinateTransform transform;
    private final int cropWidth;
    private final int cropHeight;
    private final Axis lowToCropX;  // 256 → 1024, first cropWidth outputs
    private final Axis lowToCropY;
    private final Axis cropToOriginalX;
    private final Axis cropToOriginalY;
    private final float[] lowRows;  // (256, cropWidth) low-res rows resized horizontally
    private final float[] crop;     // (cropHeight, cropWidth)
    private final float[] rowA;     // (width) crop row resized horizontally
    private final float[] rowB;     // (width)

    public MaskUpsampler(CoordinateTransform transform) {
        this.transform = transform;
        cropWidth = transform.resizedWidth();
        cropHeight = transform.resizedHeight();
        int side = CoordinateTransform.TARGET_LENGTH;
        lowToCropX = new Axis(LOW_RES, side, cropWidth);
        lowToCropY = new Axis(LOW_RES, side, cropHeight);
        cropToOriginalX = new Axis(cropWidth, transform.originalWidth(), transform.originalWidth());
        cropToOriginalY = new Axis(cropHeight, transform.originalHeight(), transform.originalHeight());
        lowRows = new float[LOW_RES * cropWidth];
        crop = new float[cropHeight * cropWidth];
        rowA = new float[transform.originalWidth()];
        rowB = new float[transform.originalWidth()];
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
        toCrop(lowRes, offset);
        int rowAIndex = -1;
        int rowBIndex = -1;
        for (int y = 0; y < height; y++) {
            int y0 = cropToOriginalY.low[y];
            int y1 = cropToOriginalY.high[y];
            float wy = cropToOriginalY.weight[y];
            if (rowAIndex != y0) {
                if (rowBIndex == y0) { // slide the two-row window down
                    float[] t = rowA;
                    System.arraycopy(rowB, 0, t, 0, width);
                } else {
                    resizeRow(crop, y0 * cropWidth, cropToOriginalX, rowA, width);
                }
                rowAIndex = y0;
            }
            if (rowBIndex != y1) {
                resizeRow(crop, y1 * cropWidth, cropToOriginalX, rowB, width);
                rowBIndex = y1;
            }
            int o = y * width;
            for (int x = 0; x < width; x++) {
                out[o + x] = rowA[x] + wy * (rowB[x] - rowA[x]);
            }
        }
    }

    /** The thresholded full-size mask (logit > 0) from low-res logits at offset. */
    public void toMask(float[] lowRes, int offset, float[] scratch, BinaryMask out) {
        upsample(lowRes, offset, scratch);
        byte[] pixels = out.pixels();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (scratch[i] > THRESHOLD ? 1 : 0);
        }
    }

    /** Convenience: allocates the result and scratch. */
    public BinaryMask toMask(float[] lowRes, int offset) {
        BinaryMask mask = new BinaryMask(transform.originalWidth(), transform.originalHeight());
        toMask(lowRes, offset, new float[transform.originalWidth() * transform.originalHeight()], mask);
        return mask;
    }

    private void toCrop(float[] lowRes, int offset) {
        for (int y = 0; y < LOW_RES; y++) {
            resizeRow(lowRes, offset + y * LOW_RES, lowToCropX, lowRows, y * cropWidth, cropWidth);
        }
        for (int y = 0; y < cropHeight; y++) {
            int a = lowToCropY.low[y] * cropWidth;
            int b = lowToCropY.high[y] * cropWidth;
            float wy = lowToCropY.weight[y];
            int o = y * cropWidth;
            for (int x = 0; x < cropWidth; x++) {
                float top = lowRows[a + x];
                crop[o + x] = top + wy * (lowRows[b + x] - top);
            }
        }
    }

    private static void resizeRow(float[] src, int srcOffset, Axis axis, float[] dst, int length) {
        resizeRow(src, srcOffset, axis, dst, 0, length);
    }

    private static void resizeRow(float[] src, int srcOffset, Axis axis, float[] dst, int dstOffset, int length) {
        for (int x = 0; x < length; x++) {
            float a = src[srcOffset + axis.low[x]];
            float b = src[srcOffset + axis.high[x]];
            dst[dstOffset + x] = a + axis.weight[x] * (b - a);
        }
    }

    /** Source indices and weights for one axis of a half-pixel bilinear resize of inLength → outLength. */
    private static final class Axis {
        final int[] low;      // (count)
        final int[] high;     // (count)
        final float[] weight; // (count) weight of high

        Axis(int inLength, int outLength, int count) {
            low = new int[count];
            high = new int[count];
            weight = new float[count];
            float scale = (float) outLength / inLength;
            for (int i = 0; i < count; i++) {
                float source = outLength > 1 ? (i + 0.5f) / scale - 0.5f : 0f;
                if (source < 0f) {
                    source = 0f;
                }
                if (source > inLength - 1) {
                    source = inLength - 1;
                }
                int l = (int) source;
                low[i] = l;
                high[i] = Math.min(l + 1, inLength - 1);
                weight[i] = source - l;
            }
        }
    }
}

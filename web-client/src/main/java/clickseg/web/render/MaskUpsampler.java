package clickseg.web.render;

/**
 * Turns one of the decoder's 256×256 low-resolution logit maps into a binary mask on any grid
 * that covers the original image, exactly as SAM's {@code postprocess_masks} does it:
 * bilinear upsample 256 → 1024 (align_corners=False), crop the unpadded resized part
 * (resizedWidth × resizedHeight), bilinear resize to the original size, threshold at 0.
 *
 * <p>Both resizes are separable linear maps, so their composition is too: each output column
 * reads at most 4 logit columns, each output row at most 4 logit rows. We precompute those
 * taps per axis and apply them in two passes (rows of the logit grid first), which costs about
 * 256·outW·4 + outW·outH·4 multiply-adds instead of materialising a 1024×1024 float image.
 * When the output grid is smaller than the original (hover previews) the same formula samples
 * the original-size result at the centres of the coarser pixels.
 *
 * <p>Temporary web-client copy: the lead moves this into shared's {@code clickseg.mask}.
 */
public final class MaskUpsampler {
    /** Side of the decoder's low-resolution mask (and of its padded 1024 frame divided by 4). */
    public static final int LOW_RES = 256;
    /** Side of the padded square the encoder sees. */
    public static final int ENCODER_SIDE = 1024;
    private static final int TAPS = 4;

    private int[] columnIndex = new int[0]; // (outW, 4) logit column per tap
    private float[] columnWeight = new float[0]; // (outW, 4)
    private int[] rowIndex = new int[0]; // (outH, 4)
    private float[] rowWeight = new float[0]; // (outH, 4)
    private float[] rowsResampled = new float[0]; // (256, outW): logit rows resampled horizontally

    /** SAM's resized side: each side scaled so the longest becomes 1024, rounded half up. */
    public static int resizedSide(int side, int longestSide) {
        return (int) (side * (double) ENCODER_SIDE / longestSide + 0.5);
    }

    /**
     * Writes the mask of logits[offset .. offset + 256*256) into {@code out}.
     *
     * @param logits      (masks, 256, 256) low-resolution logits
     * @param offset      start of the chosen mask, a multiple of 256*256
     * @param imageWidth  original image width in pixels
     * @param imageHeight original image height in pixels
     * @param out         the grid to fill; its size may be the image's or smaller
     */
    public void upsample(float[] logits, int offset, int imageWidth, int imageHeight, MaskRaster out) {
        int longest = Math.max(imageWidth, imageHeight);
        int resizedWidth = resizedSide(imageWidth, longest);
        int resizedHeight = resizedSide(imageHeight, longest);
        int outW = out.width;
        int outH = out.height;
        if (columnIndex.length < outW * TAPS) {
            columnIndex = new int[outW * TAPS];
            columnWeight = new float[outW * TAPS];
            rowsResampled = new float[LOW_RES * outW];
        } else if (rowsResampled.length < LOW_RES * outW) {
            rowsResampled = new float[LOW_RES * outW];
        }
        if (rowIndex.length < outH * TAPS) {
            rowIndex = new int[outH * TAPS];
            rowWeight = new float[outH * TAPS];
        }
        computeTaps(outW, resizedWidth, columnIndex, columnWeight);
        computeTaps(outH, resizedHeight, rowIndex, rowWeight);

        // Only logit rows that some output row reads need resampling.
        int lastRow = 0;
        for (int i = 0; i < outH * TAPS; i++) {
            if (rowWeight[i] != 0f && rowIndex[i] > lastRow) {
                lastRow = rowIndex[i];
            }
        }
        // rowsResampled[r * outW + x] = sum_k columnWeight[x,k] * logits[r, columnIndex[x,k]]
        for (int r = 0; r <= lastRow; r++) {
            int src = offset + r * LOW_RES;
            int dst = r * outW;
            for (int x = 0; x < outW; x++) {
                int t = x * TAPS;
                rowsResampled[dst + x] = columnWeight[t] * logits[src + columnIndex[t]]
                        + columnWeight[t + 1] * logits[src + columnIndex[t + 1]]
                        + columnWeight[t + 2] * logits[src + columnIndex[t + 2]]
                        + columnWeight[t + 3] * logits[src + columnIndex[t + 3]];
            }
        }
        byte[] inside = out.inside;
        int area = 0;
        int x0 = outW;
        int y0 = outH;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < outH; y++) {
            int t = y * TAPS;
            int r0 = rowIndex[t] * outW;
            int r1 = rowIndex[t + 1] * outW;
            int r2 = rowIndex[t + 2] * outW;
            int r3 = rowIndex[t + 3] * outW;
            float w0 = rowWeight[t];
            float w1 = rowWeight[t + 1];
            float w2 = rowWeight[t + 2];
            float w3 = rowWeight[t + 3];
            int dst = y * outW;
            boolean rowHasMask = false;
            for (int x = 0; x < outW; x++) {
                float v = w0 * rowsResampled[r0 + x] + w1 * rowsResampled[r1 + x]
                        + w2 * rowsResampled[r2 + x] + w3 * rowsResampled[r3 + x];
                if (v > 0f) {
                    inside[dst + x] = 1;
                    area++;
                    if (x < x0) {
                        x0 = x;
                    }
                    if (x > x1) {
                        x1 = x;
                    }
                    rowHasMask = true;
                } else {
                    inside[dst + x] = 0;
                }
            }
            if (rowHasMask) {
                if (y < y0) {
                    y0 = y;
                }
                y1 = y;
            }
        }
        out.area = area;
        out.minX = x0;
        out.minY = y0;
        out.maxX = x1;
        out.maxY = y1;
    }

    /**
     * Taps of the two chained align_corners=False resizes along one axis: output index o
     * (of outSize) → resized index u (of resizedSize, inside the 1024 frame) → logit index i.
     */
    private static void computeTaps(int outSize, int resizedSize, int[] index, float[] weight) {
        double toResized = (double) resizedSize / outSize;
        double toLowRes = (double) LOW_RES / ENCODER_SIDE;
        for (int o = 0; o < outSize; o++) {
            double u = Math.max(0.0, (o + 0.5) * toResized - 0.5);
            int u0 = Math.min((int) u, resizedSize - 1);
            int u1 = Math.min(u0 + 1, resizedSize - 1);
            double lu = u - u0;
            int t = o * TAPS;
            writeLowResTaps(u0, 1.0 - lu, toLowRes, index, weight, t);
            writeLowResTaps(u1, lu, toLowRes, index, weight, t + 2);
        }
    }

    private static void writeLowResTaps(int u, double share, double toLowRes,
                                        int[] index, float[] weight, int t) {
        double p = Math.max(0.0, (u + 0.5) * toLowRes - 0.5);
        int i0 = Math.min((int) p, LOW_RES - 1);
        int i1 = Math.min(i0 + 1, LOW_RES - 1);
        double lp = p - i0;
        index[t] = i0;
        weight[t] = (float) (share * (1.0 - lp));
        index[t + 1] = i1;
        weight[t + 1] = (float) (share * lp);
    }
}

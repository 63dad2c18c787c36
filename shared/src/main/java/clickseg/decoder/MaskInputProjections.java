package clickseg.decoder;

/**
 * The first block's image-side projections when a mask input replaces no_mask_embed, from the
 * per-image ones without running them again. The keys are embedding + dense, and the dense
 * embedding is a 1×1 convolution of 16 mask features per token: dense[n] = f[n]·W6 + b6. So for
 * any of the first block's projections P (token→image K and V, image→token Q):
 * <pre>
 * (e + dense [+ pe])·P + b = (e + no_mask [+ pe])·P + b  +  (b6 − no_mask)·P  +  f[n]·(W6·P)
 *                          = cached[n]                   +  shift            +  f[n]·folded
 * </pre>
 * 16 multiply-adds per output instead of 256: a refinement click costs about what a first click
 * does, where projecting or folding every image token again cost ~0.2 G multiply-adds.
 */
final class MaskInputProjections {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int FEATURES = PromptEncoder.MASK_CHANNELS;

    private final int inner;        // I: the projections' width
    private final float[][] keyFolded;   // (16) rows of (I): W6·Wk of token→image
    private final float[] keyShift;      // (I): (b6 − no_mask)·Wk
    private final float[][] valueFolded; // W6·Wv of token→image
    private final float[] valueShift;
    private final float[][] queryFolded; // W6·Wq of image→token
    private final float[] queryShift;

    MaskInputProjections(PromptEncoder prompts, TwoWayAttentionBlock first) {
        inner = first.tokenToImage.internalDim;
        float[][] w6 = prompts.maskProjection();
        float[] shift = new float[C]; // b6 − no_mask
        for (int c = 0; c < C; c++) {
            shift[c] = prompts.maskProjectionBias()[c] - prompts.noMaskEmbedding()[c];
        }
        keyFolded = fold(w6, first.tokenToImage.wkRows);
        keyShift = times(shift, first.tokenToImage.wkRows);
        valueFolded = fold(w6, first.tokenToImage.wvRows);
        valueShift = times(shift, first.tokenToImage.wvRows);
        queryFolded = fold(w6, first.imageToToken.wqRows);
        queryShift = times(shift, first.imageToToken.wqRows);
    }

    /** (16) rows of (I) = (16, C)·(C, I). */
    private static float[][] fold(float[][] w6, float[][] projection) {
        float[][] out = new float[w6.length][];
        for (int f = 0; f < w6.length; f++) {
            out[f] = times(w6[f], projection);
        }
        return out;
    }

    /** (I) = row (C) · projection (C rows of I). */
    private static float[] times(float[] row, float[][] projection) {
        float[] out = new float[projection[0].length];
        Axpy.accumulate(out, row, 0, row.length, projection, 0, out.length);
        return out;
    }

    /**
     * The first block's K, V and Q for image tokens [n0, n1) under a mask input, into k, v and q (N, I).
     *
     * @param features (N, 16) the mask's features (PromptEncoder.embedMask)
     * @param image    the per-image projections without a mask input
     * @return multiply-adds
     */
    long apply(ImageContext image, float[] features, int n0, int n1, float[] k, float[] v, float[] q,
               DecoderScratch s) {
        correct(image.layer0KeyProj, keyShift, keyFolded, features, n0, n1, k, s);
        correct(image.layer0ValueProj, valueShift, valueFolded, features, n0, n1, v, s);
        correct(image.layer0QueryProj, queryShift, queryFolded, features, n0, n1, q, s);
        return 3L * (n1 - n0) * FEATURES * inner;
    }

    /** out[n] = cached[n] + shift + features[n]·folded, four image tokens per pass over folded. */
    private void correct(float[] cached, float[] shift, float[][] folded, float[] features, int n0, int n1,
                         float[] out, DecoderScratch s) {
        float[][] rows = s.maskRows; // 4 rows of (I)
        for (int n = n0; n < n1; n += 4) { // n1 − n0 is a multiple of 64
            for (int r = 0; r < 4; r++) {
                int o = (n + r) * inner;
                float[] row = rows[r];
                for (int i = 0; i < inner; i++) {
                    row[i] = cached[o + i] + shift[i];
                }
            }
            Axpy.accumulateFour(s.shareWeightLoads, rows[0], rows[1], rows[2], rows[3], features, n * FEATURES,
                    features, (n + 1) * FEATURES, features, (n + 2) * FEATURES, features, (n + 3) * FEATURES,
                    FEATURES, folded, inner);
            for (int r = 0; r < 4; r++) {
                System.arraycopy(rows[r], 0, out, (n + r) * inner, inner);
            }
        }
    }
}

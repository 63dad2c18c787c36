package clickseg.decoder;

/**
 * The image side in plain Java arrays: the JVM's path, and the browser's where WebAssembly SIMD is
 * missing. Kernels come in two shapes with the same bits (see {@link Axpy#accumulateFour}): one
 * pass per image token where HotSpot vectorises, four image tokens per weight load where nothing
 * does.
 */
public final class JavaImageSide implements ImageSide {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = MaskDecoder.IMAGE_TOKENS;
    /** Image tokens summed in float before adding to the running total (64 blocks of 64). */
    static final int SUM_BLOCK = 64;

    private final float[] imagePe;            // (N, C)
    private final OutputUpscaling upscaling;
    private final boolean shareWeightLoads;
    private float[] imageTokens;               // (N, C) the embedding, token-major
    private final float[] keys = new float[N * C];   // (N, C) the transformer's image stream
    private final float[] keysPe = new float[N * C]; // (N, C) keys + image positional encoding
    private final float[][] block = new float[4][];  // four image tokens' output rows
    private float[][] partial = new float[0][];       // (width) rows of (C): one SUM_BLOCK's sum
    private final float[] k0 = new float[C];         // copies of four key rows so every array in the
    private final float[] k1 = new float[C];         // weighted-sum loop is indexed by c alone
    private final float[] k2 = new float[C];
    private final float[] k3 = new float[C];
    private final OutputUpscaling.Scratch upscalingScratch = new OutputUpscaling.Scratch();

    private JavaImageSide(float[] imagePe, OutputUpscaling upscaling, boolean shareWeightLoads) {
        this.imagePe = imagePe;
        this.upscaling = upscaling;
        this.shareWeightLoads = shareWeightLoads;
        for (int q = 0; q < 4; q++) {
            block[q] = new float[DecoderWeights.MLP_DIM];
        }
    }

    /** Kernels HotSpot vectorises: one image token per pass. */
    public static final Factory VECTORISED = (pe, up) -> new JavaImageSide(pe, up, false);
    /** Kernels for runtimes that do not vectorise (TeaVM's output): four image tokens per weight load. */
    public static final Factory SCALAR = (pe, up) -> new JavaImageSide(pe, up, true);

    @Override
    public void useImage(float[] imageTokens) {
        this.imageTokens = imageTokens;
    }

    @Override
    public void startKeys(int n0, int n1, float[] row) {
        for (int n = n0; n < n1; n++) {
            int o = n * C;
            for (int c = 0; c < C; c++) {
                keys[o + c] = imageTokens[o + c] + row[c];
            }
        }
    }

    @Override
    public void startKeysWithMask(int n0, int n1, float[] features, float[][] weightRows, float[] bias) {
        int width = weightRows.length; // 16
        ensureBlock(C);
        for (int n = n0; n < n1; n += 4) { // dense = features · W + b, four tokens per pass over W
            for (int q = 0; q < 4; q++) {
                System.arraycopy(bias, 0, block[q], 0, C);
            }
            Axpy.accumulateFour(shareWeightLoads, block[0], block[1], block[2], block[3], features, n * width, features,
                    (n + 1) * width, features, (n + 2) * width, features, (n + 3) * width, width, weightRows, C);
            for (int q = 0; q < 4; q++) {
                float[] dense = block[q];
                int o = (n + q) * C;
                for (int c = 0; c < C; c++) {
                    keys[o + c] = imageTokens[o + c] + dense[c];
                }
            }
        }
    }

    @Override
    public void addPositionalEncoding(int n0, int n1) {
        for (int i = n0 * C, end = n1 * C; i < end; i++) {
            keysPe[i] = keys[i] + imagePe[i];
        }
    }

    @Override
    public void project(boolean withPositionalEncoding, int n0, int n1, float[][] weightRows, float[] bias, int out,
                        float[] dst, int dstOffset) {
        float[] src = withPositionalEncoding ? keysPe : keys;
        ensureBlock(out);
        for (int n = n0; n < n1; n += 4) { // four image tokens share the weight stream
            for (int q = 0; q < 4; q++) {
                if (bias != null) {
                    System.arraycopy(bias, 0, block[q], 0, out);
                } else {
                    java.util.Arrays.fill(block[q], 0, out, 0f);
                }
            }
            Axpy.accumulateFour(shareWeightLoads, block[0], block[1], block[2], block[3], src, n * C, src, (n + 1) * C,
                    src, (n + 2) * C, src, (n + 3) * C, C, weightRows, out);
            for (int q = 0; q < 4; q++) {
                System.arraycopy(block[q], 0, dst, dstOffset + (n - n0 + q) * out, out);
            }
        }
    }

    @Override
    public void weightedSum(float[] weights, int width, int n0, int n1, float[][] rows) {
        float[][] partial = partialRows(width);
        for (int j = 0; j < width; j++) {
            java.util.Arrays.fill(rows[j], 0, C, 0f);
        }
        for (int start = n0; start < n1; start += SUM_BLOCK) {
            for (int j = 0; j < width; j++) {
                java.util.Arrays.fill(partial[j], 0f);
            }
            for (int n = start; n < start + SUM_BLOCK; n += 4) {
                System.arraycopy(keys, n * C, k0, 0, C);
                System.arraycopy(keys, (n + 1) * C, k1, 0, C);
                System.arraycopy(keys, (n + 2) * C, k2, 0, C);
                System.arraycopy(keys, (n + 3) * C, k3, 0, C);
                int s0 = n * width;
                if (!shareWeightLoads) {
                    // one column per pass: the loop HotSpot vectorises
                    for (int j = 0; j < width; j++) {
                        float a0 = weights[s0 + j];
                        float a1 = weights[s0 + width + j];
                        float a2 = weights[s0 + 2 * width + j];
                        float a3 = weights[s0 + 3 * width + j];
                        float[] pj = partial[j];
                        for (int c = 0; c < C; c++) {
                            pj[c] += a0 * k0[c] + a1 * k1[c] + a2 * k2[c] + a3 * k3[c];
                        }
                    }
                    continue;
                }
                // four columns per pass share each key load (width = 8·tokens is a multiple of 4)
                for (int j = 0; j < width; j += 4) {
                    accumulateFourColumns(weights, s0 + j, width, partial[j], partial[j + 1], partial[j + 2],
                            partial[j + 3]);
                }
            }
            for (int j = 0; j < width; j++) {
                float[] wj = rows[j];
                float[] pj = partial[j];
                for (int c = 0; c < C; c++) {
                    wj[c] += pj[c];
                }
            }
        }
    }

    /** pa..pd[c] += Σ_{r<4} weights[at + r·width + (0..3)] · k_r[c]: four columns, four key rows. */
    private void accumulateFourColumns(float[] weights, int at, int width, float[] pa, float[] pb, float[] pc,
                                       float[] pd) {
        float a0 = weights[at];
        float a1 = weights[at + width];
        float a2 = weights[at + 2 * width];
        float a3 = weights[at + 3 * width];
        float b0 = weights[at + 1];
        float b1 = weights[at + width + 1];
        float b2 = weights[at + 2 * width + 1];
        float b3 = weights[at + 3 * width + 1];
        float c0 = weights[at + 2];
        float c1 = weights[at + width + 2];
        float c2 = weights[at + 2 * width + 2];
        float c3 = weights[at + 3 * width + 2];
        float d0 = weights[at + 3];
        float d1 = weights[at + width + 3];
        float d2 = weights[at + 2 * width + 3];
        float d3 = weights[at + 3 * width + 3];
        for (int c = 0; c < C; c++) {
            float v0 = k0[c];
            float v1 = k1[c];
            float v2 = k2[c];
            float v3 = k3[c];
            pa[c] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
            pb[c] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
            pc[c] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
            pd[c] += d0 * v0 + d1 * v1 + d2 * v2 + d3 * v3;
        }
    }

    @Override
    public void addWeighted(float[] weights, int width, int n0, int n1, float[][] rows, float[] bias) {
        ensureBlock(C);
        for (int n = n0; n < n1; n += 4) { // four image tokens share each pass over the rows
            for (int q = 0; q < 4; q++) {
                System.arraycopy(bias, 0, block[q], 0, C);
            }
            Axpy.accumulateFour(shareWeightLoads, block[0], block[1], block[2], block[3], weights, n * width, weights,
                    (n + 1) * width, weights, (n + 2) * width, weights, (n + 3) * width, width, rows, C);
            for (int q = 0; q < 4; q++) {
                float[] acc = block[q];
                int o = (n + q) * C;
                for (int c = 0; c < C; c++) {
                    keys[o + c] += acc[c];
                }
            }
        }
    }

    @Override
    public void layerNorm(int n0, int n1, float[] weight, float[] bias, float eps) {
        LayerNorm.rows(keys, n0 * C, n1 - n0, C, weight, bias, eps, keys, n0 * C);
    }

    @Override
    public void upscaleAndPredict(int rowStart, int rowEnd, float[] hyper, float[] logits) {
        upscaling.predict(keys, rowStart, rowEnd, hyper, logits, shareWeightLoads, upscalingScratch);
    }

    private void ensureBlock(int width) {
        if (block[0].length < width) {
            for (int q = 0; q < 4; q++) {
                block[q] = new float[width];
            }
        }
    }

    /** Grown (rarely) when a prompt has more points than any before. */
    private float[][] partialRows(int width) {
        if (partial.length < width) {
            partial = new float[width][C];
        }
        return partial;
    }
}

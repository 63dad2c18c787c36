package clickseg.decoder;

/**
 * The image side of one decode: the image tokens as they pass through the two-way transformer
 * (SAM's {@code keys}, (N, C) token-major, and {@code keys + image_pe}) and every product that
 * reads or writes them. These carry nearly all of a click's multiply-adds; the token side (a few
 * tokens) stays in {@link MaskDecoder}.
 *
 * <p>Every call covers the image tokens [n0, n1) of the caller's row stripe (multiples of 64).
 * The Java implementation ({@link JavaImageSide}) keeps the tensors in arrays; a runtime with
 * faster kernels (the browser's WebAssembly SIMD) keeps them in its own memory, so nothing of size
 * N crosses over per click: only the token-side matrices go in and the scores and logits come out.
 */
public interface ImageSide {
    /** Creates one decoder's image side, once, from the model's per-image-token constants. */
    interface Factory {
        /**
         * @param imagePe   (N, C) the dense positional encoding of the 64×64 grid, token-major
         * @param upscaling the output upscaling's weights
         */
        ImageSide create(float[] imagePe, OutputUpscaling upscaling);
    }

    /** The image being decoded: (N, C) its embedding, token-major. Called whenever the image changes. */
    void useImage(float[] imageTokens);

    /** keys[n] = image token n + row (C): the dense prompt embedding when there is no mask input. */
    void startKeys(int n0, int n1, float[] row);

    /**
     * keys[n] = image token n + bias + features[n] · weightRows: the dense embedding of a mask input
     * from its 16 features per token (mask_downscaling's last 1×1 convolution).
     *
     * @param features   (N, 16) token-major, rows [n0, n1) are read
     * @param weightRows (16) rows of (C)
     * @param bias       (C)
     */
    void startKeysWithMask(int n0, int n1, float[] features, float[][] weightRows, float[] bias);

    /** keysPe[n] = keys[n] + image_pe[n]. */
    void addPositionalEncoding(int n0, int n1);

    /**
     * dst[(n − n0)·out + j + dstOffset] = bias[j] + Σ_c src[n][c] · weightRows[c][j], for the image
     * tokens n in [n0, n1): a linear layer over the stripe.
     *
     * @param withPositionalEncoding src = keysPe when true, else keys
     * @param weightRows (C) rows of (out), out a multiple of 4
     * @param bias       (out), or null for none
     */
    void project(boolean withPositionalEncoding, int n0, int n1, float[][] weightRows, float[] bias, int out,
                 float[] dst, int dstOffset);

    /**
     * rows[j] = Σ_n weights[n·width + j] · keys[n] over the stripe (j < width): attention-weighted sums
     * of the keys, the values of a token→image attention before their projection.
     *
     * @param weights (N, width), rows [n0, n1) are read
     * @param rows    (width) rows of (C), overwritten
     */
    void weightedSum(float[] weights, int width, int n0, int n1, float[][] rows);

    /**
     * keys[n] += bias + Σ_j weights[n·width + j] · rows[j] over the stripe: an attention update of
     * every image token, mixed from width fixed vectors.
     *
     * @param weights (N, width), rows [n0, n1) are read
     * @param rows    (width) rows of (C)
     * @param bias    (C)
     */
    void addWeighted(float[] weights, int width, int n0, int n1, float[][] rows, float[] bias);

    /** keys[n] = LayerNorm(keys[n]) with this weight and bias (C). */
    void layerNorm(int n0, int n1, float[] weight, float[] bias, float eps);

    /**
     * x[i] = exp(x[i]) for i in [from, to), where every x ≤ 0: attention scores over the image tokens less
     * their maximum, about a million per click. Here one at a time with {@link SoftmaxExp}; a runtime with
     * vector exponentials (the server's Vector API kernels) does many at once.
     */
    default void expOfNonPositive(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = SoftmaxExp.ofNonPositive(x[i]);
        }
    }

    /**
     * Per-head attention scores of the stripe's image tokens against t prompt tokens, where the image
     * tokens' side was projected once per image and cached outside the image side:
     * scores[n·ht + h·t + tt] = (tokens[tt·I + h·hd …] · perImage[n·I + h·hd …]) / scale over hd terms,
     * with I = heads·hd and ht = heads·t. Here four heads at a time ({@link HeadDots}); a runtime with
     * fast matrix products may do it as one.
     *
     * @param perImage (N, I), rows [n0, n1) are read
     * @param tokens   (t, I)
     * @param scores   (N, ht), rows [n0, n1) are written
     */
    default void headScores(float[] perImage, float[] tokens, int t, int heads, int hd, float scale, int n0, int n1,
                            float[] scores) {
        int inner = heads * hd;
        int ht = heads * t;
        for (int n = n0; n < n1; n++) {
            for (int tt = 0; tt < t; tt++) {
                for (int h = 0; h < heads; h += 4) {
                    HeadDots.four(tokens, tt * inner, perImage, n * inner, hd, h, scale, scores, n * ht + tt, t);
                }
            }
        }
    }

    /**
     * Attention-weighted sums of per-image value rows, per head, over the stripe:
     * out[outOffset + j·hd + d] = Σ_n weights[n·ht + j] · perImage[n·I + h(j)·hd + d] for the columns
     * j = h·t + tt, I = heads·hd. Here in blocks of {@link JavaImageSide#SUM_BLOCK} tokens summed apart
     * and then added (the order every Java and browser decode uses).
     *
     * @param weights  (N, ht), rows [n0, n1) are read
     * @param perImage (N, I), rows [n0, n1) are read
     * @param out      (ht, hd) from outOffset, overwritten
     * @param partial  scratch of at least ht·hd: one block's sum
     */
    default void headWeightedSum(float[] weights, int t, float[] perImage, int heads, int hd, int n0, int n1,
                                 float[] out, int outOffset, float[] partial) {
        int inner = heads * hd;
        int ht = heads * t;
        java.util.Arrays.fill(out, outOffset, outOffset + ht * hd, 0f);
        for (int block = n0; block < n1; block += JavaImageSide.SUM_BLOCK) {
            java.util.Arrays.fill(partial, 0, ht * hd, 0f);
            for (int n = block; n < block + JavaImageSide.SUM_BLOCK; n++) {
                int so = n * ht;
                int vo = n * inner;
                for (int h = 0; h < heads; h++) {
                    for (int tt = 0; tt < t; tt++) {
                        int j = h * t + tt;
                        float a = weights[so + j];
                        int po = j * hd;
                        for (int d = 0; d < hd; d++) {
                            partial[po + d] += a * perImage[vo + h * hd + d];
                        }
                    }
                }
            }
            for (int i = 0; i < ht * hd; i++) {
                out[outOffset + i] += partial[i];
            }
        }
    }

    /**
     * The output upscaling and the masks for grid rows [rowStart, rowEnd), from the final keys.
     *
     * @param hyper  (4, 32) each mask's hypernetwork output
     * @param logits (4, 256, 256): rows [4·rowStart, 4·rowEnd) of each mask are written
     */
    void upscaleAndPredict(int rowStart, int rowEnd, float[] hyper, float[] logits);
}

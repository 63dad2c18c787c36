package clickseg.decoder;

import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;

/**
 * SAM v1's prompt encoder and mask decoder (segment_anything/modeling/prompt_encoder.py,
 * mask_decoder.py, transformer.py) as SAM's ONNX export computes them, in plain Java.
 *
 * <p>Built once from {@link DecoderWeights}; {@link #prepare} turns an image embedding into an
 * {@link ImageContext} once per image; {@link #decode} runs one prompt. A decoder owns its scratch
 * memory, so one instance serves one thread (the browser's worker, a benchmark loop); no
 * allocation happens per click.
 */
public final class MaskDecoder {
    public static final int GRID = 64;                 // image tokens per side
    public static final int IMAGE_TOKENS = GRID * GRID; // N
    public static final int OUTPUT_TOKENS = 1 + DecoderWeights.NUM_MASK_TOKENS; // IoU token + 4 mask tokens
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = IMAGE_TOKENS;
    static final int CROSS = DecoderWeights.CROSS_ATTENTION_DIM;
    static final int UP1 = DecoderWeights.UPSCALE1_DIM;
    static final int UP2 = DecoderWeights.UPSCALE2_DIM;
    static final int LOW_RES = DecoderResult.SIZE;

    private final boolean asWritten; // true: no per-image cache, no reassociation (the baseline)

    // prompt encoder
    private final float[] gaussian;        // (2, C/2) random Fourier feature matrix
    private final float[][] pointEmbeddings; // [4] (C): labels 0, 1, 2, 3
    private final float[] notAPoint;       // (C) label -1
    private final float[] noMask;          // (C) dense embedding when there is no mask input
    private final float[] maskConv0;       // (4, 1, 2, 2)
    private final float[] maskConv0Bias;   // (4)
    private final float[] maskNorm1;       // (4)
    private final float[] maskNorm1Bias;   // (4)
    private final float[] maskConv3;       // (16, 4, 2, 2)
    private final float[] maskConv3Bias;   // (16)
    private final float[] maskNorm4;       // (16)
    private final float[] maskNorm4Bias;   // (16)
    private final float[][] maskConv6;     // (16) rows of (C): 1×1 conv as (in, out)
    private final float[] maskConv6Bias;   // (C)
    private final float[] imagePe;         // (N, C) dense positional encoding of the 64×64 grid

    // mask decoder
    private final float[] outputTokens;    // (5, C) iou_token then mask_tokens
    private final AttentionWeights[] selfAttention = new AttentionWeights[DecoderWeights.DEPTH];
    private final AttentionWeights[] tokenToImage = new AttentionWeights[DecoderWeights.DEPTH];
    private final AttentionWeights[] imageToToken = new AttentionWeights[DecoderWeights.DEPTH];
    private final float[][] norms = new float[DecoderWeights.DEPTH * 8][]; // per layer: norm1..4 weight, bias
    private final float[][][] mlpIn = new float[DecoderWeights.DEPTH][][];   // (C) rows of (2048)
    private final float[][] mlpInBias = new float[DecoderWeights.DEPTH][];
    private final float[][][] mlpOut = new float[DecoderWeights.DEPTH][][];  // (2048) rows of (C)
    private final float[][] mlpOutBias = new float[DecoderWeights.DEPTH][];
    private final AttentionWeights finalAttention;
    private final float[] finalNorm;
    private final float[] finalNormBias;
    private final OutputUpscaling upscaling;
    private final MlpWeights[] hypernetworks = new MlpWeights[DecoderWeights.NUM_MASK_TOKENS];
    private final MlpWeights iouHead;

    private final DecoderScratch s;
    private final ImageSide side;  // the image tokens' half of every decode (and of prepare)
    private float[] sideImage;     // the image tokens the side was last given
    private long lastPrepareMultiplyAdds;

    // the striped decode in progress (see beginStripe)
    private ImageContext stripeImage;
    private int stripeT;
    private int stripePoints;
    private int stripeRowStart;
    private int stripeRowEnd;
    private int stripeN0;          // first image token of the stripe
    private int stripeN1;          // one past its last image token
    private boolean stripeUseCache;
    private int stripeStep;        // index of the token→image attention whose partials are pending
    private long stripeMacs;

    public MaskDecoder(DecoderWeights weights) {
        this(weights, false, false, JavaImageSide.VECTORISED);
    }

    /**
     * The same decoder with its kernels shaped for runtimes that do not vectorise (TeaVM's
     * WebAssembly and JavaScript): each weight load feeds four image tokens or pixels. Same results
     * to the bit; on HotSpot the default shape is about three times faster, here the browser's
     * decode is about 15% faster.
     */
    public static MaskDecoder forScalarRuntime(DecoderWeights weights) {
        return new MaskDecoder(weights, false, true, JavaImageSide.SCALAR);
    }

    /**
     * The scalar-runtime decoder with its image side made by the given factory (the browser's
     * WebAssembly SIMD kernels). Same results up to float rounding.
     */
    public static MaskDecoder withImageSide(DecoderWeights weights, ImageSide.Factory imageSide) {
        return new MaskDecoder(weights, false, true, imageSide);
    }

    /**
     * The decoder computed as SAM writes it: no per-image cache, no reassociation. Same results up
     * to float rounding; kept to measure what the shortcuts save.
     */
    public static MaskDecoder asWritten(DecoderWeights weights) {
        return new MaskDecoder(weights, true, false, JavaImageSide.VECTORISED);
    }

    private MaskDecoder(DecoderWeights w, boolean asWritten, boolean shareWeightLoads, ImageSide.Factory imageSide) {
        this.asWritten = asWritten;
        this.s = new DecoderScratch(shareWeightLoads);
        String pe = "prompt_encoder.";
        gaussian = w.get(pe + "pe_layer.positional_encoding_gaussian_matrix");
        pointEmbeddings = new float[4][];
        for (int i = 0; i < 4; i++) {
            pointEmbeddings[i] = w.get(pe + "point_embeddings." + i + ".weight");
        }
        notAPoint = w.get(pe + "not_a_point_embed.weight");
        noMask = w.get(pe + "no_mask_embed.weight");
        maskConv0 = w.get(pe + "mask_downscaling.0.weight");
        maskConv0Bias = w.get(pe + "mask_downscaling.0.bias");
        maskNorm1 = w.get(pe + "mask_downscaling.1.weight");
        maskNorm1Bias = w.get(pe + "mask_downscaling.1.bias");
        maskConv3 = w.get(pe + "mask_downscaling.3.weight");
        maskConv3Bias = w.get(pe + "mask_downscaling.3.bias");
        maskNorm4 = w.get(pe + "mask_downscaling.4.weight");
        maskNorm4Bias = w.get(pe + "mask_downscaling.4.bias");
        maskConv6 = Linear.inOutRows(w.get(pe + "mask_downscaling.6.weight"), C, 16);
        maskConv6Bias = w.get(pe + "mask_downscaling.6.bias");
        imagePe = new float[N * C];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                PositionalEncoding.encode(gaussian, (x + 0.5f) / GRID, (y + 0.5f) / GRID, imagePe, (y * GRID + x) * C);
            }
        }

        String md = "mask_decoder.";
        outputTokens = new float[OUTPUT_TOKENS * C];
        System.arraycopy(w.get(md + "iou_token.weight"), 0, outputTokens, 0, C);
        System.arraycopy(w.get(md + "mask_tokens.weight"), 0, outputTokens, C, DecoderWeights.NUM_MASK_TOKENS * C);
        for (int l = 0; l < DecoderWeights.DEPTH; l++) {
            String p = md + "transformer.layers." + l + ".";
            selfAttention[l] = new AttentionWeights(w, p + "self_attn.", C);
            tokenToImage[l] = new AttentionWeights(w, p + "cross_attn_token_to_image.", CROSS);
            imageToToken[l] = new AttentionWeights(w, p + "cross_attn_image_to_token.", CROSS);
            for (int k = 0; k < 4; k++) {
                norms[l * 8 + 2 * k] = w.get(p + "norm" + (k + 1) + ".weight");
                norms[l * 8 + 2 * k + 1] = w.get(p + "norm" + (k + 1) + ".bias");
            }
            mlpIn[l] = Linear.inOutRows(w.get(p + "mlp.lin1.weight"), DecoderWeights.MLP_DIM, C);
            mlpInBias[l] = w.get(p + "mlp.lin1.bias");
            mlpOut[l] = Linear.inOutRows(w.get(p + "mlp.lin2.weight"), C, DecoderWeights.MLP_DIM);
            mlpOutBias[l] = w.get(p + "mlp.lin2.bias");
        }
        finalAttention = new AttentionWeights(w, md + "transformer.final_attn_token_to_image.", CROSS);
        finalNorm = w.get(md + "transformer.norm_final_attn.weight");
        finalNormBias = w.get(md + "transformer.norm_final_attn.bias");

        upscaling = new OutputUpscaling(w, md + "output_upscaling.");
        int[] hyperDims = {C, C, C, UP2};
        for (int m = 0; m < DecoderWeights.NUM_MASK_TOKENS; m++) {
            hypernetworks[m] = new MlpWeights(w, md + "output_hypernetworks_mlps." + m + ".layers.", 3, hyperDims);
        }
        iouHead = new MlpWeights(w, md + "iou_prediction_head.layers.", 3, new int[] {C, C, C, DecoderWeights.NUM_MASK_TOKENS});
        side = imageSide.create(imagePe, upscaling);
    }

    /**
     * Per-image work: image tokens and the first block's no-mask-input projections.
     *
     * @param embedding (256, 64, 64) the image encoder's output, CHW
     * @param originalWidth  the image's width in pixels (prompts are given in this frame)
     * @param originalHeight the image's height in pixels
     */
    public ImageContext prepare(float[] embedding, int originalWidth, int originalHeight) {
        if (embedding.length != C * N) {
            throw new IllegalArgumentException("embedding must have 256*64*64 = " + (C * N) + " values, got "
                    + embedding.length);
        }
        CoordinateTransform transform = new CoordinateTransform(originalWidth, originalHeight);
        float[] tokens = new float[N * C];
        for (int c = 0; c < C; c++) {
            for (int n = 0; n < N; n++) {
                tokens[n * C + c] = embedding[c * N + n];
            }
        }
        if (asWritten) {
            lastPrepareMultiplyAdds = 0;
            return new ImageContext(tokens, null, null, null, transform);
        }
        useImage(tokens);
        side.startKeys(0, N, noMask);
        side.addPositionalEncoding(0, N);
        float[] k = new float[N * CROSS];
        float[] v = new float[N * CROSS];
        float[] q = new float[N * CROSS];
        side.project(true, 0, N, tokenToImage[0].wkRows, tokenToImage[0].bk, CROSS, k, 0);
        side.project(false, 0, N, tokenToImage[0].wvRows, tokenToImage[0].bv, CROSS, v, 0);
        side.project(true, 0, N, imageToToken[0].wqRows, imageToToken[0].bq, CROSS, q, 0);
        lastPrepareMultiplyAdds = 3L * N * C * CROSS;
        return new ImageContext(tokens, k, v, q, transform);
    }

    /** Hands the image's tokens to the image side when they are not the ones it holds. */
    private void useImage(float[] imageTokens) {
        if (sideImage != imageTokens) {
            side.useImage(imageTokens);
            sideImage = imageTokens;
        }
    }

    /** For embeddings whose prompts are already in the 1024×1024 model frame. */
    public ImageContext prepare(float[] embedding) {
        return prepare(embedding, CoordinateTransform.TARGET_LENGTH, CoordinateTransform.TARGET_LENGTH);
    }

    public long lastPrepareMultiplyAdds() {
        return lastPrepareMultiplyAdds;
    }

    /**
     * Runs the prompt encoder and mask decoder for one prompt: the striped phases below over the
     * whole grid as one stripe.
     *
     * @param maskInput (256, 256) previous low-resolution logits to refine, or null
     * @param out       receives all four masks, IoUs and stability scores
     */
    public void decode(ImageContext image, Prompt prompt, float[] maskInput, DecoderResult out) {
        float[][] one = new float[1][];
        one[0] = beginStripe(image, prompt, maskInput, 0, GRID);
        while ((one[0] = continueStripe(one, out)) != null) {
            // one stripe: its partials are all there is to merge
        }
        completeStripes(out);
    }

    /**
     * First phase of one decode split into row stripes of the 64×64 image-token grid (one stripe
     * per worker, each with its own decoder). Runs the token-side prompt work (repeated by every
     * stripe, identically) and the image-side work for grid rows [rowStart, rowEnd), up to the
     * first token→image attention.
     *
     * <p>Protocol: p = beginStripe(...); then while p != null: gather p from every stripe in stripe
     * order (top to bottom) into an array, and p = continueStripe(all, out). When it returns null,
     * out holds this stripe's IoUs and logit rows [4·rowStart, 4·rowEnd) of each 256×256 mask;
     * once all rows are gathered into one result, call {@link #completeStripes}. The returned arrays
     * are fresh (the messages to post); every stripe must merge the same arrays in the same order.
     *
     * @param rowStart first grid row of the stripe, a multiple of 1 in [0, 64)
     * @param rowEnd   one past the last grid row, in (rowStart, 64]
     * @return this stripe's softmax partials of the first token→image attention
     */
    public float[] beginStripe(ImageContext image, Prompt prompt, float[] maskInput, int rowStart, int rowEnd) {
        if (maskInput != null && maskInput.length != LOW_RES * LOW_RES) {
            throw new IllegalArgumentException("mask input must be 256*256 logits, got " + maskInput.length);
        }
        if (rowStart < 0 || rowEnd > GRID || rowStart >= rowEnd) {
            throw new IllegalArgumentException("stripe rows must satisfy 0 <= start < end <= 64, got ["
                    + rowStart + ", " + rowEnd + ")");
        }
        int points = prompt.modelPointCount();
        int t = OUTPUT_TOKENS + points;
        s.ensureTokens(t);
        prompt.toModelPoints(image.transform(), s.pointCoords, s.pointLabels);
        stripeImage = image;
        stripeT = t;
        stripePoints = points;
        stripeN0 = rowStart * GRID;
        stripeN1 = rowEnd * GRID;
        stripeRowStart = rowStart;
        stripeRowEnd = rowEnd;
        stripeUseCache = maskInput == null && !asWritten;
        stripeStep = 0;
        stripeMacs = 0;
        int n0 = stripeN0;
        int rows = stripeN1 - n0;

        // tokens = cat(output_tokens, sparse_prompt_embeddings)  (T, C)
        System.arraycopy(outputTokens, 0, s.tokensPe, 0, OUTPUT_TOKENS * C);
        embedPoints(s.pointCoords, s.pointLabels, points, s.tokensPe, OUTPUT_TOKENS * C);

        // src = image_embeddings + dense_prompt_embeddings  (N, C), the stripe's rows
        useImage(image.imageTokens);
        if (maskInput == null) {
            side.startKeys(n0, stripeN1, noMask);
        } else {
            stripeMacs += embedMask(maskInput, s.dense, rowStart, rowEnd);
            side.startKeysWithDense(n0, stripeN1, s.dense);
        }
        System.arraycopy(s.tokensPe, 0, s.queries, 0, t * C);
        return selfAttentionThenPartials(0);
    }

    /**
     * Merges the stripes' partials of the pending token→image attention (in stripe order) and runs
     * on to the next one.
     *
     * @return this stripe's partials of the next token→image attention, or null when out holds
     *         this stripe's rows
     */
    public float[] continueStripe(float[][] stripePartials, DecoderResult out) {
        int l = stripeStep;
        if (stripeImage == null || l > DecoderWeights.DEPTH) {
            throw new IllegalStateException("no striped decode in progress: call beginStripe first");
        }
        int t = stripeT;
        int n0 = stripeN0;
        int rows = stripeN1 - n0;
        boolean reassociate = !asWritten;
        if (l < DecoderWeights.DEPTH) {
            boolean cached = stripeUseCache && l == 0;
            stripeMacs += TokenToImagePartials.merge(tokenToImage[l], t, cached ? stripeImage.layer0ValueProj : null,
                    reassociate, stripePartials, s, s.tokenOut);
            add(s.queries, s.tokenOut, s.queries, 0, t * C);
            norm(l, 1, s.queries, t);

            // MLP (ReLU)
            Linear.forward(s.queries, 0, t, C, mlpIn[l], mlpInBias[l], DecoderWeights.MLP_DIM, s.tokenHidden, 0, s.linearRows);
            Linear.relu(s.tokenHidden, 0, t * DecoderWeights.MLP_DIM);
            Linear.forward(s.tokenHidden, 0, t, DecoderWeights.MLP_DIM, mlpOut[l], mlpOutBias[l], C, s.tokenOut, 0, s.linearRows);
            stripeMacs += 2L * t * C * DecoderWeights.MLP_DIM;
            add(s.queries, s.tokenOut, s.queries, 0, t * C);
            norm(l, 2, s.queries, t);

            // image → token cross attention on the stripe, residual into keys, then norm4 per image token
            add(s.queries, s.tokensPe, s.queriesIn, 0, t * C);
            stripeMacs += Attention.imageToToken(imageToToken[l], side, cached ? stripeImage.layer0QueryProj : null,
                    s.queriesIn, s.queries, t, reassociate, n0, stripeN1, s);
            side.layerNorm(n0, stripeN1, norms[l * 8 + 6], norms[l * 8 + 7], LayerNorm.TRANSFORMER_EPS);
            stripeStep = l + 1;
            if (l + 1 < DecoderWeights.DEPTH) {
                return selfAttentionThenPartials(l + 1);
            }
            // final token → image attention; only the IoU and mask tokens are read afterwards
            side.addPositionalEncoding(n0, stripeN1);
            add(s.queries, s.tokensPe, s.queriesIn, 0, OUTPUT_TOKENS * C);
            float[] partials = new float[TokenToImagePartials.length(finalAttention, OUTPUT_TOKENS,
                    TokenToImagePartials.foldsValues(finalAttention, OUTPUT_TOKENS, null, reassociate))];
            stripeMacs += TokenToImagePartials.stripe(finalAttention, s.queriesIn, OUTPUT_TOKENS, side, null, null,
                    reassociate, n0, stripeN1, s, partials);
            return partials;
        }
        stripeMacs += TokenToImagePartials.merge(finalAttention, OUTPUT_TOKENS, null, reassociate, stripePartials, s,
                s.tokenOut);
        add(s.queries, s.tokenOut, s.queries, 0, OUTPUT_TOKENS * C);
        LayerNorm.rows(s.queries, 0, OUTPUT_TOKENS, C, finalNorm, finalNormBias, LayerNorm.TRANSFORMER_EPS, s.queries, 0);

        // heads: IoU from token 0, hypernetwork weights from tokens 1..4
        stripeMacs += iouHead.forward(s.queries, 0, out.iou, 0, s.mlpA, s.mlpB, s.linearRows);
        for (int m = 0; m < DecoderWeights.NUM_MASK_TOKENS; m++) {
            stripeMacs += hypernetworks[m].forward(s.queries, (1 + m) * C, s.hyper, m * UP2, s.mlpA, s.mlpB, s.linearRows);
        }
        side.upscaleAndPredict(stripeRowStart, stripeRowEnd, s.hyper, out.lowResLogits);
        stripeMacs += OutputUpscaling.multiplyAdds(stripeRowStart, stripeRowEnd);
        out.modelPointCount = stripePoints;
        out.multiplyAdds = stripeMacs;
        stripeStep = l + 1;
        stripeImage = null;
        return null;
    }

    /** After all stripes' logit rows are in out: the stability scores, which need whole masks. */
    public static void completeStripes(DecoderResult out) {
        out.computeStability();
    }

    /** Layer l's self attention and norm1 on the tokens, then the stripe's token→image partials. */
    private float[] selfAttentionThenPartials(int l) {
        int t = stripeT;
        side.addPositionalEncoding(stripeN0, stripeN1);
        // self attention; the first layer skips the positional encoding and the residual
        if (l == 0) {
            stripeMacs += Attention.tokens(selfAttention[l], s.queries, s.queries, s.queries, t, s, s.tokenOut);
            System.arraycopy(s.tokenOut, 0, s.queries, 0, t * C);
        } else {
            add(s.queries, s.tokensPe, s.queriesIn, 0, t * C);
            stripeMacs += Attention.tokens(selfAttention[l], s.queriesIn, s.queriesIn, s.queries, t, s, s.tokenOut);
            add(s.queries, s.tokenOut, s.queries, 0, t * C);
        }
        norm(l, 0, s.queries, t);

        add(s.queries, s.tokensPe, s.queriesIn, 0, t * C);
        boolean reassociate = !asWritten;
        boolean cached = stripeUseCache && l == 0;
        float[] cachedV = cached ? stripeImage.layer0ValueProj : null;
        float[] partials = new float[TokenToImagePartials.length(tokenToImage[l], t,
                TokenToImagePartials.foldsValues(tokenToImage[l], t, cachedV, reassociate))];
        stripeMacs += TokenToImagePartials.stripe(tokenToImage[l], s.queriesIn, t, side,
                cached ? stripeImage.layer0KeyProj : null, cachedV, reassociate, stripeN0, stripeN1, s, partials);
        return partials;
    }

    /** Sparse prompt embeddings (SAM's ONNX _embed_points): Fourier features of (p + 0.5)/1024 plus the label's embedding. */
    private void embedPoints(float[] coords, int[] labels, int points, float[] dst, int dstOffset) {
        for (int p = 0; p < points; p++) {
            int o = dstOffset + p * C;
            int label = labels[p];
            if (label == Prompt.PADDING) {
                System.arraycopy(notAPoint, 0, dst, o, C);
                continue;
            }
            float x = (coords[2 * p] + 0.5f) / CoordinateTransform.TARGET_LENGTH;
            float y = (coords[2 * p + 1] + 0.5f) / CoordinateTransform.TARGET_LENGTH;
            PositionalEncoding.encode(gaussian, x, y, dst, o);
            if (label >= 0 && label < 4) {
                float[] e = pointEmbeddings[label];
                for (int c = 0; c < C; c++) {
                    dst[o + c] += e[c];
                }
            }
        }
    }

    /**
     * Dense prompt embedding from a 256×256 mask (mask_downscaling), written token-major (N, C), for
     * grid rows [rowStart, rowEnd): its 2×2/2 convolutions never overlap and its norms are per pixel.
     */
    private long embedMask(float[] mask, float[] dense, int rowStart, int rowEnd) {
        int h1 = LOW_RES / 2; // 128
        int rows = rowEnd - rowStart;
        float[] d1 = s.maskDown1; // (128*128, 4)
        for (int y = 2 * rowStart; y < 2 * rowEnd; y++) {
            for (int x = 0; x < h1; x++) {
                int po = (y * h1 + x) * 4;
                for (int o = 0; o < 4; o++) {
                    float v = maskConv0Bias[o];
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            v += maskConv0[o * 4 + dy * 2 + dx] * mask[(2 * y + dy) * LOW_RES + 2 * x + dx];
                        }
                    }
                    d1[po + o] = v;
                }
            }
        }
        int p1 = 2 * rowStart * h1;    // first pixel of the stripe at 128×128
        int pixels1 = 2 * rows * h1;
        LayerNorm.rows(d1, p1 * 4, pixels1, 4, maskNorm1, maskNorm1Bias, LayerNorm.LAYER_NORM_2D_EPS, d1, p1 * 4);
        Gelu.applyInPlace(d1, p1 * 4, pixels1 * 4);
        float[] d2 = s.maskDown2; // (64*64, 16)
        for (int y = rowStart; y < rowEnd; y++) {
            for (int x = 0; x < GRID; x++) {
                int po = (y * GRID + x) * 16;
                for (int o = 0; o < 16; o++) {
                    float v = maskConv3Bias[o];
                    for (int i = 0; i < 4; i++) {
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                v += maskConv3[((o * 4 + i) * 2 + dy) * 2 + dx] * d1[((2 * y + dy) * h1 + 2 * x + dx) * 4 + i];
                            }
                        }
                    }
                    d2[po + o] = v;
                }
            }
        }
        int n0 = rowStart * GRID;
        int tokens = rows * GRID;
        LayerNorm.rows(d2, n0 * 16, tokens, 16, maskNorm4, maskNorm4Bias, LayerNorm.LAYER_NORM_2D_EPS, d2, n0 * 16);
        Gelu.applyInPlace(d2, n0 * 16, tokens * 16);
        Linear.forward(d2, n0 * 16, tokens, 16, maskConv6, maskConv6Bias, C, dense, n0 * C, s.linearRows);
        return (long) pixels1 * 4 * 4 + (long) tokens * 16 * 16 + (long) tokens * 16 * C;
    }

    private void norm(int layer, int which, float[] x, int rows) {
        LayerNorm.rows(x, 0, rows, C, norms[layer * 8 + 2 * which], norms[layer * 8 + 2 * which + 1],
                LayerNorm.TRANSFORMER_EPS, x, 0);
    }

    /** dst = a + b elementwise over [offset, offset + length). */
    private static void add(float[] a, float[] b, float[] dst, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            dst[i] = a[i] + b[i];
        }
    }
}

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
    static final int UP2 = DecoderWeights.UPSCALE2_DIM;
    static final int LOW_RES = DecoderResult.SIZE;

    private final boolean asWritten; // true: no per-image cache, no reassociation (the baseline)

    private final PromptEncoder promptEncoder;
    private final float[] outputTokens;    // (5, C) iou_token then mask_tokens
    private final TwoWayAttentionBlock[] blocks = new TwoWayAttentionBlock[DecoderWeights.DEPTH];
    private final AttentionWeights finalAttention; // transformer.final_attn_token_to_image
    private final float[] finalNorm;       // (C) transformer.norm_final_attn
    private final float[] finalNormBias;
    private final OutputUpscaling upscaling;
    private final MlpWeights[] hypernetworks = new MlpWeights[DecoderWeights.NUM_MASK_TOKENS];
    private final MlpWeights iouHead;
    private final MaskInputProjections maskInputProjections; // the first block's cache under a mask input

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
    private float[] stripeKeyProj;   // (N, I) the first block's cached K, V and Q for this decode, or null
    private float[] stripeValueProj;
    private float[] stripeQueryProj;
    private int stripeStep;        // index of the token→image attention whose partials are pending
    private long stripeMacs;

    public MaskDecoder(DecoderWeights weights) {
        this(weights, false, false, JavaImageSide.VECTORISED);
    }

    /**
     * The same decoder with its kernels shaped for runtimes that do not vectorise (TeaVM's
     * WebAssembly and JavaScript): each weight load feeds four image tokens or pixels. Same results
     * to the bit; on HotSpot the default shape is about three times faster, in TeaVM's output this one.
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
     * The decoder with its token-side kernels in the shape HotSpot vectorises and its image side made by
     * the given factory (the server's Vector API kernels). Same results up to float rounding.
     */
    public static MaskDecoder forHotSpot(DecoderWeights weights, ImageSide.Factory imageSide) {
        return new MaskDecoder(weights, false, false, imageSide);
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
        promptEncoder = new PromptEncoder(w, "prompt_encoder.");
        String md = "mask_decoder.";
        outputTokens = new float[OUTPUT_TOKENS * C];
        System.arraycopy(w.get(md + "iou_token.weight"), 0, outputTokens, 0, C);
        System.arraycopy(w.get(md + "mask_tokens.weight"), 0, outputTokens, C, DecoderWeights.NUM_MASK_TOKENS * C);
        for (int l = 0; l < DecoderWeights.DEPTH; l++) {
            blocks[l] = new TwoWayAttentionBlock(w, md + "transformer.layers." + l + ".", l == 0);
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
        side = imageSide.create(promptEncoder.imagePe(), upscaling);
        maskInputProjections = new MaskInputProjections(promptEncoder, blocks[0]);
    }

    /**
     * Per-image work: image tokens and the first block's no-mask-input projections (its keys are the
     * embedding + no_mask_embed, so their K and V for token→image and Q for image→token are fixed).
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
        float[] tokens = new float[N * C]; // (N, C) token-major
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
        side.startKeys(0, N, promptEncoder.noMaskEmbedding());
        side.addPositionalEncoding(0, N);
        AttentionWeights tokenToImage = blocks[0].tokenToImage;
        AttentionWeights imageToToken = blocks[0].imageToToken;
        float[] k = new float[N * CROSS]; // (N, I) each
        float[] v = new float[N * CROSS];
        float[] q = new float[N * CROSS];
        side.project(true, 0, N, tokenToImage.wkRows, tokenToImage.bk, CROSS, k, 0);
        side.project(false, 0, N, tokenToImage.wvRows, tokenToImage.bv, CROSS, v, 0);
        side.project(true, 0, N, imageToToken.wqRows, imageToToken.bq, CROSS, q, 0);
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
     * @param rowStart first grid row of the stripe, in [0, 64)
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
        stripeStep = 0;
        stripeMacs = 0;

        // tokens = cat(output_tokens, sparse_prompt_embeddings)  (T, C); they are also query_pe
        System.arraycopy(outputTokens, 0, s.tokensPe, 0, OUTPUT_TOKENS * C);
        promptEncoder.embedPoints(s.pointCoords, s.pointLabels, points, s.tokensPe, OUTPUT_TOKENS * C);
        System.arraycopy(s.tokensPe, 0, s.queries, 0, t * C);

        // keys = image_embeddings + dense_prompt_embeddings  (N, C), the stripe's rows
        useImage(image.imageTokens);
        boolean cached = !asWritten;
        if (maskInput == null) {
            side.startKeys(stripeN0, stripeN1, promptEncoder.noMaskEmbedding());
            stripeKeyProj = cached ? image.layer0KeyProj : null;
            stripeValueProj = cached ? image.layer0ValueProj : null;
            stripeQueryProj = cached ? image.layer0QueryProj : null;
        } else {
            stripeMacs += promptEncoder.embedMask(maskInput, rowStart, rowEnd, s);
            side.startKeysWithMask(stripeN0, stripeN1, s.maskDown2, promptEncoder.maskProjection(),
                    promptEncoder.maskProjectionBias());
            if (cached) {
                stripeMacs += maskInputProjections.apply(image, s.maskDown2, stripeN0, stripeN1, s.maskedKeyProj,
                        s.maskedValueProj, s.maskedQueryProj, s);
            }
            stripeKeyProj = cached ? s.maskedKeyProj : null;
            stripeValueProj = cached ? s.maskedValueProj : null;
            stripeQueryProj = cached ? s.maskedQueryProj : null;
        }
        return beginBlock(0);
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
        boolean reassociate = !asWritten;
        stripeStep = l + 1;
        if (l < DecoderWeights.DEPTH) {
            boolean first = l == 0;
            stripeMacs += blocks[l].finishAfterMerge(t, stripePartials, side, first ? stripeValueProj : null,
                    first ? stripeQueryProj : null, reassociate, stripeN0, stripeN1, s);
            if (l + 1 < DecoderWeights.DEPTH) {
                return beginBlock(l + 1);
            }
            // final_attn_token_to_image(q=queries + query_pe, k=keys + key_pe, v=keys); only the IoU
            // and mask tokens are read afterwards
            side.addPositionalEncoding(stripeN0, stripeN1);
            TwoWayAttentionBlock.add(s.queries, s.tokensPe, s.queriesIn, OUTPUT_TOKENS * C);
            float[] partials = new float[TokenToImagePartials.length(finalAttention, OUTPUT_TOKENS,
                    TokenToImagePartials.foldsValues(finalAttention, OUTPUT_TOKENS, null, reassociate))];
            stripeMacs += TokenToImagePartials.stripe(finalAttention, s.queriesIn, OUTPUT_TOKENS, side, null, null,
                    reassociate, stripeN0, stripeN1, s, partials);
            return partials;
        }
        // queries = norm_final_attn(queries + attn_out)
        stripeMacs += TokenToImagePartials.merge(finalAttention, OUTPUT_TOKENS, null, reassociate, stripePartials, s,
                s.tokenOut);
        TwoWayAttentionBlock.add(s.queries, s.tokenOut, s.queries, OUTPUT_TOKENS * C);
        LayerNorm.rows(s.queries, 0, OUTPUT_TOKENS, C, finalNorm, finalNormBias, LayerNorm.TRANSFORMER_EPS, s.queries, 0);

        // iou_pred = iou_prediction_head(iou_token_out); hyper_in[m] = output_hypernetworks_mlps[m](mask_tokens_out[m])
        stripeMacs += iouHead.forward(s.queries, 0, out.iou, 0, s.mlpA, s.mlpB, s.linearRows);
        for (int m = 0; m < DecoderWeights.NUM_MASK_TOKENS; m++) {
            stripeMacs += hypernetworks[m].forward(s.queries, (1 + m) * C, s.hyper, m * UP2, s.mlpA, s.mlpB, s.linearRows);
        }
        // masks = hyper_in @ output_upscaling(keys), this stripe's rows
        side.upscaleAndPredict(stripeRowStart, stripeRowEnd, s.hyper, out.lowResLogits);
        stripeMacs += OutputUpscaling.multiplyAdds(stripeRowStart, stripeRowEnd);
        out.modelPointCount = stripePoints;
        out.multiplyAdds = stripeMacs;
        stripeImage = null;
        return null;
    }

    /** After all stripes' logit rows are in out: the stability scores, which need whole masks. */
    public static void completeStripes(DecoderResult out) {
        out.computeStability();
    }

    /** Block l up to its token→image partials (keysPe = keys + key_pe first). */
    private float[] beginBlock(int l) {
        side.addPositionalEncoding(stripeN0, stripeN1);
        boolean reassociate = !asWritten;
        boolean first = l == 0;
        float[] cachedV = first ? stripeValueProj : null;
        float[] partials = new float[blocks[l].partialsLength(stripeT, cachedV, reassociate)];
        stripeMacs += blocks[l].beginTokenToImage(stripeT, side, first ? stripeKeyProj : null, cachedV,
                reassociate, stripeN0, stripeN1, s, partials);
        return partials;
    }
}

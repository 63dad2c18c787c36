package clickseg.decoder;

/**
 * One of SAM's TwoWayAttentionBlocks (transformer.py), in the two halves a striped decode needs:
 * everything up to the token→image attention's per-stripe softmax partials, and everything after
 * their merge. PyTorch, per block:
 * <pre>
 * queries = norm1(self_attn(q=queries + query_pe, k=…, v=queries) [+ queries])   # first block: no pe, no residual
 * queries = norm2(queries + cross_attn_token_to_image(q=queries + query_pe, k=keys + key_pe, v=keys))
 * queries = norm3(queries + mlp(queries))
 * keys    = norm4(keys + cross_attn_image_to_token(q=keys + key_pe, k=queries + query_pe, v=queries))
 * </pre>
 * Token-side state (queries (T, C), query_pe (T, C)) lives in the scratch; image-side state (keys)
 * in the {@link ImageSide}.
 */
final class TwoWayAttentionBlock {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int MLP = DecoderWeights.MLP_DIM;

    final AttentionWeights selfAttention;  // self_attn, internal dim 256
    final AttentionWeights tokenToImage;   // cross_attn_token_to_image, internal dim 128
    final AttentionWeights imageToToken;   // cross_attn_image_to_token, internal dim 128
    private final boolean skipFirstLayerPe;
    private final float[] norm1Weight;      // (C) each
    private final float[] norm1Bias;
    private final float[] norm2Weight;
    private final float[] norm2Bias;
    private final float[] norm3Weight;
    private final float[] norm3Bias;
    private final float[] norm4Weight;
    private final float[] norm4Bias;
    private final float[][] mlpIn;          // (C) rows of (2048): mlp.lin1
    private final float[] mlpInBias;        // (2048)
    private final float[][] mlpOut;         // (2048) rows of (C): mlp.lin2
    private final float[] mlpOutBias;       // (C)

    TwoWayAttentionBlock(DecoderWeights w, String prefix, boolean skipFirstLayerPe) {
        this.skipFirstLayerPe = skipFirstLayerPe;
        selfAttention = new AttentionWeights(w, prefix + "self_attn.", C);
        tokenToImage = new AttentionWeights(w, prefix + "cross_attn_token_to_image.", DecoderWeights.CROSS_ATTENTION_DIM);
        imageToToken = new AttentionWeights(w, prefix + "cross_attn_image_to_token.", DecoderWeights.CROSS_ATTENTION_DIM);
        norm1Weight = w.get(prefix + "norm1.weight");
        norm1Bias = w.get(prefix + "norm1.bias");
        norm2Weight = w.get(prefix + "norm2.weight");
        norm2Bias = w.get(prefix + "norm2.bias");
        norm3Weight = w.get(prefix + "norm3.weight");
        norm3Bias = w.get(prefix + "norm3.bias");
        norm4Weight = w.get(prefix + "norm4.weight");
        norm4Bias = w.get(prefix + "norm4.bias");
        mlpIn = Linear.inOutRows(w.get(prefix + "mlp.lin1.weight"), MLP, C);
        mlpInBias = w.get(prefix + "mlp.lin1.bias");
        mlpOut = Linear.inOutRows(w.get(prefix + "mlp.lin2.weight"), C, MLP);
        mlpOutBias = w.get(prefix + "mlp.lin2.bias");
    }

    /**
     * The self attention and norm1 on the tokens, then this stripe's softmax partials of the
     * token→image attention (keysPe must hold keys + key_pe). Returns multiply-adds.
     *
     * @param cachedK (N, I) the image side's K when fixed per image, else null; likewise cachedV
     */
    long beginTokenToImage(int t, ImageSide image, float[] cachedK, float[] cachedV, boolean reassociate, int n0,
                           int n1, DecoderScratch s, float[] partials) {
        long macs;
        if (skipFirstLayerPe) {
            // queries = self_attn(q=queries, k=queries, v=queries)
            macs = Attention.tokens(selfAttention, s.queries, s.queries, s.queries, t, s, s.tokenOut);
            System.arraycopy(s.tokenOut, 0, s.queries, 0, t * C);
        } else {
            // queries = queries + self_attn(q=queries + query_pe, k=queries + query_pe, v=queries)
            add(s.queries, s.tokensPe, s.queriesIn, t * C);
            macs = Attention.tokens(selfAttention, s.queriesIn, s.queriesIn, s.queries, t, s, s.tokenOut);
            add(s.queries, s.tokenOut, s.queries, t * C);
        }
        // queries = norm1(queries)
        LayerNorm.rows(s.queries, 0, t, C, norm1Weight, norm1Bias, LayerNorm.TRANSFORMER_EPS, s.queries, 0);
        // cross_attn_token_to_image(q=queries + query_pe, k=keys + key_pe, v=keys): this stripe's partials
        add(s.queries, s.tokensPe, s.queriesIn, t * C);
        return macs + TokenToImagePartials.stripe(tokenToImage, s.queriesIn, t, image, cachedK, cachedV, reassociate,
                n0, n1, s, partials);
    }

    /** Length of this block's token→image partials for t tokens. */
    int partialsLength(int t, float[] cachedV, boolean reassociate) {
        return TokenToImagePartials.length(tokenToImage, t,
                TokenToImagePartials.foldsValues(tokenToImage, t, cachedV, reassociate));
    }

    /**
     * After the merge of every stripe's partials: norm2, the MLP and norm3 on the tokens, then the
     * image→token attention and norm4 on this stripe's image tokens. Returns multiply-adds.
     *
     * @param cachedQ (N, I) the image side's Q when fixed per image, else null
     */
    long finishAfterMerge(int t, float[][] stripePartials, ImageSide image, float[] cachedV, float[] cachedQ,
                          boolean reassociate, int n0, int n1, DecoderScratch s) {
        // queries = norm2(queries + attn_out)
        long macs = TokenToImagePartials.merge(tokenToImage, t, cachedV, reassociate, stripePartials, s, s.tokenOut);
        add(s.queries, s.tokenOut, s.queries, t * C);
        LayerNorm.rows(s.queries, 0, t, C, norm2Weight, norm2Bias, LayerNorm.TRANSFORMER_EPS, s.queries, 0);

        // queries = norm3(queries + lin2(relu(lin1(queries))))
        Linear.forward(s.queries, 0, t, C, mlpIn, mlpInBias, MLP, s.tokenHidden, 0, s.linearRows);
        Linear.relu(s.tokenHidden, 0, t * MLP);
        Linear.forward(s.tokenHidden, 0, t, MLP, mlpOut, mlpOutBias, C, s.tokenOut, 0, s.linearRows);
        macs += 2L * t * C * MLP;
        add(s.queries, s.tokenOut, s.queries, t * C);
        LayerNorm.rows(s.queries, 0, t, C, norm3Weight, norm3Bias, LayerNorm.TRANSFORMER_EPS, s.queries, 0);

        // keys = norm4(keys + cross_attn_image_to_token(q=keys + key_pe, k=queries + query_pe, v=queries))
        add(s.queries, s.tokensPe, s.queriesIn, t * C);
        macs += Attention.imageToToken(imageToToken, image, cachedQ, s.queriesIn, s.queries, t, reassociate, n0, n1, s);
        image.layerNorm(n0, n1, norm4Weight, norm4Bias, LayerNorm.TRANSFORMER_EPS);
        return macs;
    }

    /** dst = a + b over [0, length). */
    static void add(float[] a, float[] b, float[] dst, int length) {
        for (int i = 0; i < length; i++) {
            dst[i] = a[i] + b[i];
        }
    }
}

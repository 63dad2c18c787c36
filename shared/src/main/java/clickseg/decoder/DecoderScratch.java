package clickseg.decoder;

/**
 * The decoder's run state: every buffer a click needs, allocated once. Token-sized buffers are
 * sized for {@code maxTokens} and regrown (rarely) only when a prompt has more points.
 */
final class DecoderScratch {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = MaskDecoder.IMAGE_TOKENS;
    static final int HEADS = AttentionWeights.HEADS;

    // image-token buffers the token side fills, token-major (N, ·)
    final float[] maskedKeyProj = new float[N * 128];   // (N, I) the first block's K under a mask input
    final float[] maskedValueProj = new float[N * 128]; // (N, I) its V
    final float[] maskedQueryProj = new float[N * 128]; // (N, I) its image→token Q
    final float[][] maskRows = new float[4][128];       // four image tokens' corrected projections
    final float[] projectedA = new float[N * 128]; // (N, I) K or Q when a projection is not reassociated
    final float[] projectedB = new float[N * 128]; // (N, I) V
    /** Kernel shape: weight loads shared by four accumulators (see Axpy.accumulateFour). */
    final boolean shareWeightLoads;
    final float[][] linearRows; // 4 (shared weight loads) or 1 × (out): output rows of Linear

    // mask input downscaling, channels-last
    final float[] maskDown1 = new float[128 * 128 * 4]; // (128*128, 4)
    final float[] maskDown2 = new float[64 * 64 * 16];  // (64*64, 16)

    final float[] hyper = new float[DecoderWeights.NUM_MASK_TOKENS * DecoderWeights.UPSCALE2_DIM]; // (4, 32)
    final float[] mlpA = new float[DecoderWeights.MLP_DIM];
    final float[] mlpB = new float[DecoderWeights.MLP_DIM];

    // token buffers (T, ·)
    int maxTokens;
    float[] pointCoords;   // (P, 2)
    int[] pointLabels;     // (P)
    float[] tokensPe;      // (T, C) initial tokens = query positional encoding
    float[] queries;       // (T, C)
    float[] queriesIn;     // (T, C) queries + tokensPe
    float[] tokenOut;      // (T, C)
    float[] tokenQ;        // (T, C)  projections, up to I = 256 for self-attention
    float[] tokenK;        // (T, C)
    float[] tokenV;        // (T, C)
    float[] tokenO;        // (T, C)
    float[] tokenHidden;   // (T, 2048)
    float[] tokenScores;   // (T, T)
    float[] imageScores;   // (N, HEADS * T) token→image attention logits, then weights
    float[][] foldedRows;  // (C) rows of (HEADS * T): a projection folded into per-head token vectors
    float[][] valueRows;   // (HEADS * T) rows of (C)
    float[] foldedBias;    // (HEADS * T)
    float[] columnMax;     // (HEADS * T)
    double[] columnSum;    // (HEADS * T)
    float[] partialSums;   // (HEADS * T, C)

    DecoderScratch(boolean shareWeightLoads) {
        this.shareWeightLoads = shareWeightLoads;
        linearRows = new float[shareWeightLoads ? 4 : 1][DecoderWeights.MLP_DIM];
        ensureTokens(5 + 8);
    }

    void ensureTokens(int tokens) {
        if (tokens <= maxTokens) {
            return;
        }
        maxTokens = tokens;
        int ht = HEADS * tokens;
        pointCoords = new float[tokens * 2];
        pointLabels = new int[tokens];
        tokensPe = new float[tokens * C];
        queries = new float[tokens * C];
        queriesIn = new float[tokens * C];
        tokenOut = new float[tokens * C];
        tokenQ = new float[tokens * C];
        tokenK = new float[tokens * C];
        tokenV = new float[tokens * C];
        tokenO = new float[tokens * C];
        tokenHidden = new float[tokens * DecoderWeights.MLP_DIM];
        tokenScores = new float[tokens * tokens];
        imageScores = new float[N * ht];
        foldedRows = new float[C][ht];
        valueRows = new float[ht][C];
        foldedBias = new float[ht];
        columnMax = new float[ht];
        columnSum = new double[ht];
        partialSums = new float[ht * C];
    }
}

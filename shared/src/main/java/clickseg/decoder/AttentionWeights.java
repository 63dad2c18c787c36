package clickseg.decoder;

/**
 * One SAM Attention module: q/k/v projections from 256 to the internal width (256 for token
 * self-attention, 128 for the cross attentions), 8 heads, and the output projection back to 256.
 * Weights are kept (in, out), the layout {@link Linear} wants.
 */
final class AttentionWeights {
    static final int HEADS = 8;

    final int internalDim; // I
    final int headDim;     // I / HEADS
    final float scale;     // sqrt(headDim); scores are divided by it, as in SAM
    final float[] wq;      // (C, I)
    final float[] bq;      // (I)
    final float[] wk;      // (C, I)
    final float[] bk;      // (I)
    final float[] wv;      // (C, I)
    final float[] bv;      // (I)
    final float[] wo;      // (I, C)
    final float[] bo;      // (C)
    final float[][] wqRows; // (C) rows of (I): the same weights for Linear/Axpy
    final float[][] wkRows;
    final float[][] wvRows;
    final float[][] woRows; // (I) rows of (C)

    AttentionWeights(DecoderWeights w, String prefix, int internalDim) {
        int c = DecoderWeights.EMBED_DIM;
        this.internalDim = internalDim;
        this.headDim = internalDim / HEADS;
        this.scale = (float) Math.sqrt(headDim);
        wq = Linear.transpose(w.get(prefix + "q_proj.weight"), internalDim, c);
        bq = w.get(prefix + "q_proj.bias");
        wk = Linear.transpose(w.get(prefix + "k_proj.weight"), internalDim, c);
        bk = w.get(prefix + "k_proj.bias");
        wv = Linear.transpose(w.get(prefix + "v_proj.weight"), internalDim, c);
        bv = w.get(prefix + "v_proj.bias");
        wo = Linear.transpose(w.get(prefix + "out_proj.weight"), c, internalDim);
        bo = w.get(prefix + "out_proj.bias");
        wqRows = Axpy.rows(wq, c, internalDim);
        wkRows = Axpy.rows(wk, c, internalDim);
        wvRows = Axpy.rows(wv, c, internalDim);
        woRows = Axpy.rows(wo, internalDim, c);
    }
}

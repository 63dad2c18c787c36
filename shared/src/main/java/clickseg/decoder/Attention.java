package clickseg.decoder;

/**
 * SAM's multi-head Attention (segment_anything/modeling/transformer.py, class Attention) in the
 * three shapes the two-way transformer uses, each with the exact algebraic shortcuts that pay
 * when one side has only T ≈ 5–12 tokens and the other N = 4096 image tokens.
 *
 * <p>PyTorch, per head h: out = softmax((q·Wq_h + bq_h)(k·Wk_h + bk_h)ᵀ / √d) (v·Wv_h + bv_h), then
 * concat heads · Wo + bo. Reassociations used here (all exact in real arithmetic):
 * <ul>
 * <li>scores: (q·Wq_h + bq_h)·(X·Wk_h + bk_h)ᵀ = X·(Wk_h·q̂_h) + bk_h·q̂_h with q̂_h the projected query:
 *     T·8 vectors of 256 against X instead of projecting all N rows of X (256×128 each);</li>
 * <li>values: Σ_n a_n (X_n·Wv_h + bv_h) = (Σ_n a_n X_n)·Wv_h + bv_h, since softmax weights sum to 1;</li>
 * <li>output: (Σ_t a_t v_t)·Wo = Σ_t a_t (v_t·Wo), folding Wo into the T value rows.</li>
 * </ul>
 * Each kernel picks the cheaper form from the multiply-add count for the actual T and returns
 * the count it spent.
 */
final class Attention {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = MaskDecoder.IMAGE_TOKENS;
    static final int HEADS = AttentionWeights.HEADS;

    private Attention() {
    }

    /**
     * Self-attention among T tokens: out (T, C) = Attention(q, k, v); all inputs (T, C).
     * Returns multiply-adds.
     */
    static long tokens(AttentionWeights w, float[] q, float[] k, float[] v, int t, DecoderScratch s, float[] out) {
        int inner = w.internalDim;
        int hd = w.headDim;
        Linear.forward(q, 0, t, C, w.wqRows, w.bq, inner, s.tokenQ, 0, s.linearRows);
        Linear.forward(k, 0, t, C, w.wkRows, w.bk, inner, s.tokenK, 0, s.linearRows);
        Linear.forward(v, 0, t, C, w.wvRows, w.bv, inner, s.tokenV, 0, s.linearRows);
        float[] scores = s.tokenScores;
        for (int h = 0; h < HEADS; h++) {
            int ho = h * hd;
            for (int i = 0; i < t; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    float dot = 0f;
                    for (int d = 0; d < hd; d++) {
                        dot += s.tokenQ[i * inner + ho + d] * s.tokenK[j * inner + ho + d];
                    }
                    float score = dot / w.scale;
                    scores[i * t + j] = score;
                    max = Math.max(max, score);
                }
                float sum = 0f;
                for (int j = 0; j < t; j++) {
                    float e = SoftmaxExp.ofNonPositive(scores[i * t + j] - max);
                    scores[i * t + j] = e;
                    sum += e;
                }
                for (int d = 0; d < hd; d++) {
                    s.tokenO[i * inner + ho + d] = 0f;
                }
                for (int j = 0; j < t; j++) {
                    float a = scores[i * t + j] / sum;
                    for (int d = 0; d < hd; d++) {
                        s.tokenO[i * inner + ho + d] += a * s.tokenV[j * inner + ho + d];
                    }
                }
            }
        }
        Linear.forward(s.tokenO, 0, t, inner, w.woRows, w.bo, C, out, 0, s.linearRows);
        return 3L * t * C * inner + 2L * t * t * inner + (long) t * inner * C;
    }

    /**
     * Image→token cross attention with the residual: keys[n] += Attention(q = keysPe[n], k = tokenKeys,
     * v = tokenValues) for the image tokens n in [n0, n1) (one row stripe, or all). Token inputs are (t, C).
     *
     * @param cachedQ (N, I) keysPe·Wq + bq when fixed per image, else null
     */
    static long imageToToken(AttentionWeights w, ImageSide image, float[] cachedQ, float[] tokenKeys,
                             float[] tokenValues, int t, boolean allowReassociation, int n0, int n1, DecoderScratch s) {
        int rows = n1 - n0;
        int inner = w.internalDim;
        int hd = w.headDim;
        int ht = HEADS * t;
        float[] kp = s.tokenK; // (t, I)
        float[] vp = s.tokenV; // (t, I)
        Linear.forward(tokenKeys, 0, t, C, w.wkRows, w.bk, inner, kp, 0, s.linearRows);
        Linear.forward(tokenValues, 0, t, C, w.wvRows, w.bv, inner, vp, 0, s.linearRows);
        long macs = 2L * t * C * inner;

        long scoreProjectCost = (long) N * C * inner + (long) N * t * inner;
        long scoreFoldCost = (long) C * t * inner + (long) N * C * ht;
        boolean foldScores = cachedQ == null && allowReassociation && scoreFoldCost < scoreProjectCost;
        long outProjectCost = (long) N * t * inner + (long) N * inner * C;
        long outFoldCost = (long) t * inner * C + (long) N * ht * C;
        boolean foldOutput = allowReassociation && outFoldCost < outProjectCost;

        // scores (N, ht), column j = h·t + tt: rows [n0, n1) of keysPe against every token, per head
        float[] scores = s.imageScores;
        if (foldScores) {
            float[][] folded = s.foldedRows;  // (C) rows of (ht): Wq_h · k_h[t]
            float[] bias = s.foldedBias;      // (ht): bq_h · k_h[t]
            for (int h = 0; h < HEADS; h++) {
                for (int tt = 0; tt < t; tt++) {
                    int j = h * t + tt;
                    int ko = tt * inner + h * hd;
                    float b = 0f;
                    for (int d = 0; d < hd; d++) {
                        b += w.bq[h * hd + d] * kp[ko + d];
                    }
                    bias[j] = b;
                    for (int c = 0; c < C; c++) {
                        int wo = c * inner + h * hd;
                        float f = 0f;
                        for (int d = 0; d < hd; d++) {
                            f += w.wq[wo + d] * kp[ko + d];
                        }
                        folded[c][j] = f;
                    }
                }
            }
            image.project(true, n0, n1, folded, bias, ht, scores, n0 * ht);
            for (int i = n0 * ht, end = n1 * ht; i < end; i++) {
                scores[i] /= w.scale;
            }
            macs += scoreFoldCost;
        } else {
            float[] qp = cachedQ;
            if (qp == null) {
                qp = s.projectedA;
                image.project(true, n0, n1, w.wqRows, w.bq, inner, qp, n0 * inner);
                macs += (long) rows * C * inner;
            }
            image.headScores(qp, kp, t, HEADS, hd, w.scale, n0, n1, scores);
            macs += (long) rows * t * inner;
        }
        // softmax over the t tokens, per image token and head: less the maximum, exp over the whole
        // stripe at once (the image side may vectorise it), then normalised
        for (int n = n0; n < n1; n++) {
            for (int h = 0; h < HEADS; h++) {
                int ro = n * ht + h * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int tt = 0; tt < t; tt++) {
                    max = Math.max(max, scores[ro + tt]);
                }
                for (int tt = 0; tt < t; tt++) {
                    scores[ro + tt] -= max;
                }
            }
        }
        image.expOfNonPositive(scores, n0 * ht, n1 * ht);
        for (int n = n0; n < n1; n++) {
            for (int h = 0; h < HEADS; h++) {
                int ro = n * ht + h * t;
                float sum = 0f;
                for (int tt = 0; tt < t; tt++) {
                    sum += scores[ro + tt];
                }
                for (int tt = 0; tt < t; tt++) {
                    scores[ro + tt] /= sum;
                }
            }
        }

        if (foldOutput) {
            // keys[n] += Σ_j a[n, j] (v_h[t]·Wo_h) + bo: the output projection folded into the ht value rows
            float[][] valuesOut = s.valueRows;  // (ht) rows of (C): v_h[t]·Wo_h
            for (int h = 0; h < HEADS; h++) {
                for (int tt = 0; tt < t; tt++) {
                    int j = h * t + tt;
                    int vo = tt * inner + h * hd;
                    java.util.Arrays.fill(valuesOut[j], 0f);
                    Axpy.accumulate(valuesOut[j], vp, vo, hd, w.woRows, h * hd, C);
                }
            }
            image.addWeighted(scores, ht, n0, n1, valuesOut, w.bo);
            macs += outFoldCost;
        } else {
            // o[n] (I) = Σ_t a[n, h, t] v_h[t] per head, then keys[n] += o[n]·Wo + bo
            float[] o = s.projectedB; // (N, I)
            for (int n = n0; n < n1; n++) {
                int oo = n * inner;
                java.util.Arrays.fill(o, oo, oo + inner, 0f);
                for (int h = 0; h < HEADS; h++) {
                    for (int tt = 0; tt < t; tt++) {
                        float a = scores[n * ht + h * t + tt];
                        int vo = tt * inner + h * hd;
                        for (int d = 0; d < hd; d++) {
                            o[oo + h * hd + d] += a * vp[vo + d];
                        }
                    }
                }
            }
            image.addWeighted(o, inner, n0, n1, w.woRows, w.bo);
            macs += outProjectCost;
        }
        return macs;
    }
}

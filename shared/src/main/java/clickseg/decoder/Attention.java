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
    /** Image tokens summed in float before adding to the running total (64 blocks of 64). */
    static final int SUM_BLOCK = 64;

    private Attention() {
    }

    /**
     * Self-attention among T tokens: out (T, C) = Attention(q, k, v); all inputs (T, C).
     * Returns multiply-adds.
     */
    static long tokens(AttentionWeights w, float[] q, float[] k, float[] v, int t, DecoderScratch s, float[] out) {
        int inner = w.internalDim;
        int hd = w.headDim;
        Linear.forward(q, 0, t, C, w.wqRows, w.bq, inner, s.tokenQ, 0, s.linearRow);
        Linear.forward(k, 0, t, C, w.wkRows, w.bk, inner, s.tokenK, 0, s.linearRow);
        Linear.forward(v, 0, t, C, w.wvRows, w.bv, inner, s.tokenV, 0, s.linearRow);
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
                    float e = (float) Math.exp(scores[i * t + j] - max);
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
        Linear.forward(s.tokenO, 0, t, inner, w.woRows, w.bo, C, out, 0, s.linearRow);
        return 3L * t * C * inner + 2L * t * t * inner + (long) t * inner * C;
    }

    /**
     * Token→image cross attention: out (tq, C) for queries q (tq, C) attending over image keys
     * keysPe (N, C) with values keys (N, C).
     *
     * @param cachedK (N, I) keysPe·Wk + bk when fixed per image, else null
     * @param cachedV (N, I) keys·Wv + bv when fixed per image, else null
     * @param allowReassociation false to compute exactly as written (for measuring the baseline)
     */
    static long tokenToImage(AttentionWeights w, float[] q, int tq, float[] keysPe, float[] keys, float[] cachedK,
                             float[] cachedV, boolean allowReassociation, DecoderScratch s, float[] out) {
        int inner = w.internalDim;
        int hd = w.headDim;
        int ht = HEADS * tq;
        long macs = (long) tq * C * inner; // query projection
        float[] qp = s.tokenQ; // (tq, I)
        Linear.forward(q, 0, tq, C, w.wqRows, w.bq, inner, qp, 0, s.linearRow);
        float[] scores = s.imageScores; // (N, ht), column j = h * tq + t

        long projectCost = (long) N * C * inner + (long) N * tq * inner;
        long foldCost = (long) C * tq * inner + (long) N * C * ht;
        if (cachedK == null && allowReassociation && foldCost < projectCost) {
            // scores[n, h, t] = (keysPe[n]·(Wk_h q̂_h[t]) + bk_h·q̂_h[t]) / √d
            float[][] folded = s.foldedRows;  // (C) rows of (ht)
            float[] bias = s.foldedBias;      // (ht)
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < tq; t++) {
                    int j = h * tq + t;
                    int qo = t * inner + h * hd;
                    float b = 0f;
                    for (int d = 0; d < hd; d++) {
                        b += w.bk[h * hd + d] * qp[qo + d];
                    }
                    bias[j] = b;
                    for (int c = 0; c < C; c++) {
                        int wo = c * inner + h * hd;
                        float f = 0f;
                        for (int d = 0; d < hd; d++) {
                            f += w.wk[wo + d] * qp[qo + d];
                        }
                        folded[c][j] = f;
                    }
                }
            }
            float[] rowA = s.rowScores;
            float[] rowB = s.rowScoresB;
            for (int n = 0; n < N; n += 2) {
                System.arraycopy(bias, 0, rowA, 0, ht);
                System.arraycopy(bias, 0, rowB, 0, ht);
                Axpy.accumulate2(rowA, rowB, keysPe, n * C, keysPe, (n + 1) * C, C, folded, ht);
                int so = n * ht;
                for (int j = 0; j < ht; j++) {
                    scores[so + j] = rowA[j] / w.scale;
                    scores[so + ht + j] = rowB[j] / w.scale;
                }
            }
            macs += foldCost;
        } else {
            float[] kp = cachedK;
            if (kp == null) {
                kp = s.projectedA;
                Linear.forward(keysPe, 0, N, C, w.wkRows, w.bk, inner, kp, 0, s.linearRow);
                macs += (long) N * C * inner;
            }
            for (int n = 0; n < N; n++) {
                int so = n * ht;
                int ko = n * inner;
                for (int h = 0; h < HEADS; h++) {
                    for (int t = 0; t < tq; t++) {
                        int qo = t * inner + h * hd;
                        float dot = 0f;
                        for (int d = 0; d < hd; d++) {
                            dot += qp[qo + d] * kp[ko + h * hd + d];
                        }
                        scores[so + h * tq + t] = dot / w.scale;
                    }
                }
            }
            macs += (long) N * tq * inner;
        }

        softmaxOverImage(scores, ht, s);

        float[] o = s.tokenO; // (tq, I) attention output per head, before out_proj
        long valueProjectCost = (long) N * C * inner + (long) N * tq * inner;
        long valueFoldCost = (long) N * ht * C + (long) tq * C * inner;
        if (cachedV == null && allowReassociation && valueFoldCost < valueProjectCost) {
            // o_h[t] = (Σ_n a[n, h, t] keys[n])·Wv_h + bv_h
            float[][] weighted = s.valueRows;   // (ht) rows of (C)
            float[][] partial = s.partialRows;  // (ht) rows of (C): one block's sum; 4096 terms summed in blocks bound the error
            float[] k0 = s.keyRow0;
            float[] k1 = s.keyRow1;
            float[] k2 = s.keyRow2;
            float[] k3 = s.keyRow3;
            for (int j = 0; j < ht; j++) {
                java.util.Arrays.fill(weighted[j], 0f);
            }
            for (int block = 0; block < N; block += SUM_BLOCK) {
                for (int j = 0; j < ht; j++) {
                    java.util.Arrays.fill(partial[j], 0f);
                }
                for (int n = block; n < block + SUM_BLOCK; n += 4) { // SUM_BLOCK is a multiple of 4
                    // copies of the four key rows so that every array in the loop below is indexed by c alone
                    System.arraycopy(keys, n * C, k0, 0, C);
                    System.arraycopy(keys, (n + 1) * C, k1, 0, C);
                    System.arraycopy(keys, (n + 2) * C, k2, 0, C);
                    System.arraycopy(keys, (n + 3) * C, k3, 0, C);
                    int s0 = n * ht;
                    for (int j = 0; j < ht; j++) {
                        float a0 = scores[s0 + j];
                        float a1 = scores[s0 + ht + j];
                        float a2 = scores[s0 + 2 * ht + j];
                        float a3 = scores[s0 + 3 * ht + j];
                        float[] pj = partial[j];
                        for (int c = 0; c < C; c++) {
                            pj[c] += a0 * k0[c] + a1 * k1[c] + a2 * k2[c] + a3 * k3[c];
                        }
                    }
                }
                for (int j = 0; j < ht; j++) {
                    float[] wj = weighted[j];
                    float[] pj = partial[j];
                    for (int c = 0; c < C; c++) {
                        wj[c] += pj[c];
                    }
                }
            }
            for (int t = 0; t < tq; t++) {
                System.arraycopy(w.bv, 0, o, t * inner, inner);
            }
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < tq; t++) {
                    float[] wr = weighted[h * tq + t];
                    int oo = t * inner + h * hd;
                    for (int c = 0; c < C; c++) {
                        float x = wr[c];
                        int vo = c * inner + h * hd;
                        for (int d = 0; d < hd; d++) {
                            o[oo + d] += x * w.wv[vo + d];
                        }
                    }
                }
            }
            macs += valueFoldCost;
        } else {
            float[] vp = cachedV;
            if (vp == null) {
                vp = s.projectedB;
                Linear.forward(keys, 0, N, C, w.wvRows, w.bv, inner, vp, 0, s.linearRow);
                macs += (long) N * C * inner;
            }
            java.util.Arrays.fill(o, 0, tq * inner, 0f);
            float[] partial = s.partialSums;
            for (int block = 0; block < N; block += SUM_BLOCK) {
                java.util.Arrays.fill(partial, 0, tq * inner, 0f);
                for (int n = block; n < block + SUM_BLOCK; n++) {
                    int so = n * ht;
                    int vo = n * inner;
                    for (int h = 0; h < HEADS; h++) {
                        for (int t = 0; t < tq; t++) {
                            float a = scores[so + h * tq + t];
                            int oo = t * inner + h * hd;
                            for (int d = 0; d < hd; d++) {
                                partial[oo + d] += a * vp[vo + h * hd + d];
                            }
                        }
                    }
                }
                for (int i = 0; i < tq * inner; i++) {
                    o[i] += partial[i];
                }
            }
            macs += (long) N * tq * inner;
        }
        Linear.forward(o, 0, tq, inner, w.woRows, w.bo, C, out, 0, s.linearRow);
        macs += (long) tq * inner * C;
        return macs;
    }

    /** Softmax over the N image tokens for each of the ht columns of scores (N, ht), in place. */
    private static void softmaxOverImage(float[] scores, int ht, DecoderScratch s) {
        float[] max = s.columnMax;
        double[] sum = s.columnSum; // 4096 terms: summed in double, like a pairwise sum would bound the error
        java.util.Arrays.fill(max, 0, ht, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(sum, 0, ht, 0.0);
        for (int n = 0; n < N; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                max[j] = Math.max(max[j], scores[so + j]);
            }
        }
        for (int n = 0; n < N; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                float e = (float) Math.exp(scores[so + j] - max[j]);
                scores[so + j] = e;
                sum[j] += e;
            }
        }
        float[] inverse = s.rowScores;
        for (int j = 0; j < ht; j++) {
            inverse[j] = (float) (1.0 / sum[j]);
        }
        for (int n = 0; n < N; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                scores[so + j] *= inverse[j];
            }
        }
    }

    /**
     * Image→token cross attention with the residual: keys[n] += Attention(q = keysPe[n], k = tokenKeys,
     * v = tokenValues) for the image tokens n in [n0, n1) (one row stripe, or all). Token inputs are (t, C).
     *
     * @param cachedQ (N, I) keysPe·Wq + bq when fixed per image, else null
     */
    static long imageToToken(AttentionWeights w, float[] keysPe, float[] cachedQ, float[] tokenKeys,
                             float[] tokenValues, int t, boolean allowReassociation, int n0, int n1, DecoderScratch s,
                             float[] keys) {
        int rows = n1 - n0;
        int inner = w.internalDim;
        int hd = w.headDim;
        int ht = HEADS * t;
        float[] kp = s.tokenK; // (t, I)
        float[] vp = s.tokenV; // (t, I)
        Linear.forward(tokenKeys, 0, t, C, w.wkRows, w.bk, inner, kp, 0, s.linearRow);
        Linear.forward(tokenValues, 0, t, C, w.wvRows, w.bv, inner, vp, 0, s.linearRow);
        long macs = 2L * t * C * inner;

        long scoreProjectCost = (long) N * C * inner + (long) N * t * inner;
        long scoreFoldCost = (long) C * t * inner + (long) N * C * ht;
        boolean foldScores = cachedQ == null && allowReassociation && scoreFoldCost < scoreProjectCost;
        long outProjectCost = (long) N * t * inner + (long) N * inner * C;
        long outFoldCost = (long) t * inner * C + (long) N * ht * C;
        boolean foldOutput = allowReassociation && outFoldCost < outProjectCost;

        float[][] folded = s.foldedRows;  // (C) rows of (ht): Wq_h · k_h[t]
        float[] bias = s.foldedBias;      // (ht): bq_h · k_h[t]
        float[] qp = cachedQ;
        if (foldScores) {
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
            macs += scoreFoldCost;
        } else {
            if (qp == null) {
                qp = s.projectedA;
                Linear.forward(keysPe, n0 * C, rows, C, w.wqRows, w.bq, inner, qp, n0 * inner, s.linearRow);
                macs += (long) rows * C * inner;
            }
            macs += (long) rows * t * inner;
        }
        float[][] valuesOut = s.valueRows;  // (ht) rows of (C): v_h[t]·Wo_h
        if (foldOutput) {
            for (int h = 0; h < HEADS; h++) {
                for (int tt = 0; tt < t; tt++) {
                    int j = h * t + tt;
                    int vo = tt * inner + h * hd;
                    java.util.Arrays.fill(valuesOut[j], 0f);
                    Axpy.accumulate(valuesOut[j], vp, vo, hd, w.woRows, h * hd, C);
                }
            }
            macs += outFoldCost;
        } else {
            macs += outProjectCost;
        }

        float[] row = s.rowScores;   // (ht)
        float[] acc = s.imageRow;    // (C)
        float[] o = s.tokenO;        // (I) one image token's per-head output
        for (int n = n0; n < n1; n++) {
            if (foldScores) {
                System.arraycopy(bias, 0, row, 0, ht);
                Axpy.accumulate(row, keysPe, n * C, C, folded, 0, ht);
                for (int j = 0; j < ht; j++) {
                    row[j] /= w.scale;
                }
            } else {
                int qo = n * inner;
                for (int h = 0; h < HEADS; h++) {
                    for (int tt = 0; tt < t; tt++) {
                        int ko = tt * inner + h * hd;
                        float dot = 0f;
                        for (int d = 0; d < hd; d++) {
                            dot += qp[qo + h * hd + d] * kp[ko + d];
                        }
                        row[h * t + tt] = dot / w.scale;
                    }
                }
            }
            // softmax over the t tokens, per head
            for (int h = 0; h < HEADS; h++) {
                int ro = h * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int tt = 0; tt < t; tt++) {
                    max = Math.max(max, row[ro + tt]);
                }
                float sum = 0f;
                for (int tt = 0; tt < t; tt++) {
                    float e = (float) Math.exp(row[ro + tt] - max);
                    row[ro + tt] = e;
                    sum += e;
                }
                for (int tt = 0; tt < t; tt++) {
                    row[ro + tt] /= sum;
                }
            }
            int keyRow = n * C;
            if (foldOutput) {
                System.arraycopy(w.bo, 0, acc, 0, C);
                Axpy.accumulate(acc, row, 0, ht, valuesOut, 0, C);
            } else {
                java.util.Arrays.fill(o, 0, inner, 0f);
                for (int h = 0; h < HEADS; h++) {
                    for (int tt = 0; tt < t; tt++) {
                        float a = row[h * t + tt];
                        int vo = tt * inner + h * hd;
                        for (int d = 0; d < hd; d++) {
                            o[h * hd + d] += a * vp[vo + d];
                        }
                    }
                }
                Linear.forward(o, 0, 1, inner, w.woRows, w.bo, C, acc, 0, s.linearRow);
            }
            for (int c = 0; c < C; c++) {
                keys[keyRow + c] += acc[c];
            }
        }
        return macs;
    }
}

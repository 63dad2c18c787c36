package clickseg.decoder;

/**
 * Token→image cross attention split over row stripes of the image-token grid, so that two
 * workers can each attend over their own rows and exchange only a small array.
 *
 * <p>Per stripe and per column j = (head, token), softmax over the stripe's image tokens is kept
 * un-normalised as a partial: the stripe's running max m, the sum of exp(score − m), and the
 * weighted sum of value rows Σ exp(score − m)·value. Partials of all stripes merge exactly (up to
 * float rounding): with M the largest m, each stripe's sum and weighted sum scale by exp(m − M).
 *
 * <p>Partial layout, one flat float[] (the message two workers exchange):
 * [0, ht) max, [ht, 2ht) sum, [2ht, 2ht + ht·W) weighted rows of width W, where ht = HEADS·tq and
 * W = C when the value projection is folded after the sum (keys rows are summed), else W = head
 * dim (projected value rows are summed).
 *
 * <p>The token-side work (query projection, folding Wk into per-head query vectors, finishing the
 * output) is repeated by every stripe: it is small, and identical inputs give identical results,
 * so all workers hold the same token state after a merge.
 */
final class TokenToImagePartials {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = MaskDecoder.IMAGE_TOKENS;
    static final int HEADS = AttentionWeights.HEADS;
    /** Image tokens summed in float before adding to the stripe's running total. */
    static final int SUM_BLOCK = JavaImageSide.SUM_BLOCK;

    private TokenToImagePartials() {
    }

    /** True when the values are summed as key rows and projected after (cheaper for small tq). */
    static boolean foldsValues(AttentionWeights w, int tq, float[] cachedV, boolean allowReassociation) {
        int inner = w.internalDim;
        long valueProjectCost = (long) N * C * inner + (long) N * tq * inner;
        long valueFoldCost = (long) N * HEADS * tq * C + (long) tq * C * inner;
        return cachedV == null && allowReassociation && valueFoldCost < valueProjectCost;
    }

    /** Length of one stripe's partials array. */
    static int length(AttentionWeights w, int tq, boolean foldValues) {
        int ht = HEADS * tq;
        return ht * (2 + (foldValues ? C : w.headDim));
    }

    /**
     * One stripe's partials for image tokens [n0, n1) (multiples of 64): queries q (tq, C) attend over
     * the image side's keysPe (keys) and sum its keys (values). Leaves the projected query (tq, I) in
     * s.tokenQ. Returns multiply-adds.
     */
    static long stripe(AttentionWeights w, float[] q, int tq, ImageSide image, float[] cachedK, float[] cachedV,
                       boolean allowReassociation, int n0, int n1, DecoderScratch s, float[] partials) {
        int inner = w.internalDim;
        int hd = w.headDim;
        int ht = HEADS * tq;
        int rows = n1 - n0;
        long macs = (long) tq * C * inner;
        float[] qp = s.tokenQ; // (tq, I)
        Linear.forward(q, 0, tq, C, w.wqRows, w.bq, inner, qp, 0, s.linearRows);
        float[] scores = s.imageScores; // (N, ht), column j = h * tq + t; only rows [n0, n1) are used

        long projectCost = (long) N * C * inner + (long) N * tq * inner;
        long foldCost = (long) C * tq * inner + (long) N * C * ht;
        if (cachedK == null && allowReassociation && foldCost < projectCost) {
            float[][] folded = s.foldedRows;  // (C) rows of (ht): Wk_h q̂_h[t]
            float[] bias = s.foldedBias;      // (ht): bk_h·q̂_h[t]
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
            image.project(true, n0, n1, folded, bias, ht, scores, n0 * ht);
            for (int i = n0 * ht, end = n1 * ht; i < end; i++) {
                scores[i] /= w.scale;
            }
            macs += (long) C * tq * inner + (long) rows * C * ht;
        } else {
            float[] kp = cachedK;
            if (kp == null) {
                kp = s.projectedA;
                image.project(true, n0, n1, w.wkRows, w.bk, inner, kp, n0 * inner);
                macs += (long) rows * C * inner;
            }
            image.headScores(kp, qp, tq, HEADS, hd, w.scale, n0, n1, scores);
            macs += (long) rows * tq * inner;
        }

        // the stripe's max and sum of exp(score - max); scores become the un-normalised weights
        double[] sum = s.columnSum; // many terms: summed in double
        for (int j = 0; j < ht; j++) {
            partials[j] = Float.NEGATIVE_INFINITY;
            sum[j] = 0.0;
        }
        for (int n = n0; n < n1; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                partials[j] = Math.max(partials[j], scores[so + j]);
            }
        }
        for (int n = n0; n < n1; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                scores[so + j] -= partials[j];
            }
        }
        image.expOfNonPositive(scores, n0 * ht, n1 * ht);
        for (int n = n0; n < n1; n++) {
            int so = n * ht;
            for (int j = 0; j < ht; j++) {
                sum[j] += scores[so + j];
            }
        }
        for (int j = 0; j < ht; j++) {
            partials[ht + j] = (float) sum[j];
        }

        int base = 2 * ht;
        if (foldsValues(w, tq, cachedV, allowReassociation)) {
            // weighted[j] = Σ_n e[n, j] keys[n]  (ht rows of C)
            float[][] weighted = s.valueRows;
            image.weightedSum(scores, ht, n0, n1, weighted);
            for (int j = 0; j < ht; j++) {
                System.arraycopy(weighted[j], 0, partials, base + j * C, C);
            }
            macs += (long) rows * ht * C;
        } else {
            // weighted[j] = Σ_n e[n, j] vp[n, head(j)]  (ht rows of hd)
            float[] vp = cachedV;
            if (vp == null) {
                vp = s.projectedB;
                image.project(false, n0, n1, w.wvRows, w.bv, inner, vp, n0 * inner);
                macs += (long) rows * C * inner;
            }
            image.headWeightedSum(scores, tq, vp, HEADS, hd, n0, n1, partials, base, s.partialSums);
            macs += (long) rows * tq * inner;
        }
        return macs;
    }

    /**
     * Merges the partials of all stripes (in stripe order, so every worker gets the same bits)
     * and finishes the attention: out (tq, C). Returns multiply-adds.
     */
    static long merge(AttentionWeights w, int tq, float[] cachedV, boolean allowReassociation, float[][] stripes,
                      DecoderScratch s, float[] out) {
        int inner = w.internalDim;
        int hd = w.headDim;
        int ht = HEADS * tq;
        boolean foldValues = foldsValues(w, tq, cachedV, allowReassociation);
        int width = foldValues ? C : hd;
        int expected = length(w, tq, foldValues);
        for (float[] p : stripes) {
            if (p == null || p.length != expected) {
                throw new IllegalArgumentException("attention partials must have " + expected + " values, got "
                        + (p == null ? "none" : String.valueOf(p.length)));
            }
        }
        int base = 2 * ht;
        float[] merged = s.partialSums; // (ht, width): ht·C is its size
        for (int j = 0; j < ht; j++) {
            float max = Float.NEGATIVE_INFINITY;
            for (float[] p : stripes) {
                max = Math.max(max, p[j]);
            }
            double total = 0.0;
            int mo = j * width;
            java.util.Arrays.fill(merged, mo, mo + width, 0f);
            for (float[] p : stripes) {
                float scale = SoftmaxExp.ofNonPositive(p[j] - max);
                total += (double) scale * p[ht + j];
                int po = base + j * width;
                for (int c = 0; c < width; c++) {
                    merged[mo + c] += scale * p[po + c];
                }
            }
            float inverse = (float) (1.0 / total);
            for (int c = 0; c < width; c++) {
                merged[mo + c] *= inverse;
            }
        }

        float[] o = s.tokenO; // (tq, I) attention output per head, before out_proj
        long macs = 0;
        if (foldValues) {
            // o_h[t] = (Σ_n a[n, h, t] keys[n])·Wv_h + bv_h, since the weights sum to 1
            for (int t = 0; t < tq; t++) {
                System.arraycopy(w.bv, 0, o, t * inner, inner);
            }
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < tq; t++) {
                    int mo = (h * tq + t) * C;
                    int oo = t * inner + h * hd;
                    for (int c = 0; c < C; c++) {
                        float x = merged[mo + c];
                        int vo = c * inner + h * hd;
                        for (int d = 0; d < hd; d++) {
                            o[oo + d] += x * w.wv[vo + d];
                        }
                    }
                }
            }
            macs += (long) tq * C * inner;
        } else {
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < tq; t++) {
                    System.arraycopy(merged, (h * tq + t) * hd, o, t * inner + h * hd, hd);
                }
            }
        }
        Linear.forward(o, 0, tq, inner, w.woRows, w.bo, C, out, 0, s.linearRows);
        macs += (long) tq * inner * C;
        return macs;
    }
}

package clickseg.server.decoder;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageSide;
import clickseg.decoder.LayerNorm;
import clickseg.decoder.MaskDecoder;
import clickseg.decoder.OutputUpscaling;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The image side on the server with the JDK's Vector API (jdk.incubator.vector): the same operations
 * as shared's JavaImageSide, with every product over the 4096 image tokens as one register-tiled
 * {@link VectorGemm}. Sums run in another order and with fused multiply-adds, so logits differ from
 * the plain Java kernels by float rounding (see VectorImageSideTest for the bound), not in kind.
 *
 * <p>The output upscaling never materialises the 256×256×32 features: each 128-pixel row of the first
 * upscaled map goes through the second transposed convolution into a small buffer, and the four masks'
 * dot products are taken from it at once.
 */
final class VectorImageSide implements ImageSide {
    private static final VectorSpecies<Float> S = VectorGemm.S;
    private static final int L = VectorGemm.L;
    private static final int C = DecoderWeights.EMBED_DIM;            // 256
    private static final int N = MaskDecoder.IMAGE_TOKENS;            // 4096
    private static final int GRID = MaskDecoder.GRID;                 // 64
    private static final int UP1 = OutputUpscaling.UP1;               // 64
    private static final int UP2 = OutputUpscaling.UP2;               // 32
    private static final int W1 = 2 * GRID;                           // 128: first upscaled map's side
    private static final int LOW_RES = DecoderResult.SIZE;            // 256
    private static final int MASKS = OutputUpscaling.MASKS;           // 4
    /** Attention weights (each ≤ 1, their sum ≥ 1) below this are taken as 0 in weighted sums. */
    private static final float NEGLIGIBLE_WEIGHT = 1e-30f;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector HALF = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector INV_SQRT2 = FloatVector.broadcast(S, (float) (1 / Math.sqrt(2)));
    private static final FloatVector A1 = FloatVector.broadcast(S, 0.0705230784f);
    private static final FloatVector A2 = FloatVector.broadcast(S, 0.0422820123f);
    private static final FloatVector A3 = FloatVector.broadcast(S, 0.0092705272f);
    private static final FloatVector A4 = FloatVector.broadcast(S, 0.0001520143f);
    private static final FloatVector A5 = FloatVector.broadcast(S, 0.0002765672f);
    private static final FloatVector A6 = FloatVector.broadcast(S, 0.0000430638f);

    private final float[] imagePe;                 // (N, C)
    private float[] imageTokens;                   // (N, C) the embedding, token-major
    private final float[] keys = new float[N * C];   // (N, C) the transformer's image stream
    private final float[] keysPe = new float[N * C]; // (N, C) keys + image positional encoding
    private final float[] first;                   // (C, 4·UP1) [c][k·64 + o]
    private final float[] firstBias;               // (UP1)
    private final float[] normWeight;              // (UP1)
    private final float[] normBias;                // (UP1)
    private final float[] second;                  // (UP1, 4·UP2) [o][k·32 + j]
    private final float[] secondBias;              // (UP2)
    private float[] flatWeights = new float[C * C];        // a weight-row array laid out flat for VectorGemm
    private float[] sums = new float[0];                   // (width, C) weighted sums before they go to rows
    private float[] projected = new float[0];              // (stripe, padded out) a folded projection
    private float[] headWeights = new float[0];            // (I, padded ht) prompt tokens per head, zero elsewhere
    private float[] headProducts = new float[0];           // (stripe, padded ht) scores, or (ht, I) weighted sums
    private float[] flushedWeights = new float[0];         // (stripe, ht) attention weights, negligible ones 0
    private final float[] tokenRow = new float[GRID * 4 * UP1]; // (64 tokens, 4·UP1) one grid row through conv 1
    private final float[] up1 = new float[W1 * W1 * UP1];       // (128·128, UP1) channels-last
    private final float[] pixelRow = new float[W1 * 4 * UP2];   // (128 pixels, 4·UP2) one row through conv 2
    private final float[] features = new float[UP2];            // one output pixel's 32 features

    VectorImageSide(float[] imagePe, OutputUpscaling upscaling) {
        this.imagePe = imagePe;
        this.first = upscaling.firstWeight();
        this.firstBias = upscaling.firstBias();
        this.normWeight = upscaling.normWeight();
        this.normBias = upscaling.normBias();
        this.second = upscaling.secondWeight();
        this.secondBias = upscaling.secondBias();
    }

    @Override
    public void useImage(float[] imageTokens) {
        this.imageTokens = imageTokens;
    }

    @Override
    public void startKeys(int n0, int n1, float[] row) {
        for (int n = n0; n < n1; n++) {
            int o = n * C;
            for (int c = 0; c < C; c += L) {
                FloatVector.fromArray(S, imageTokens, o + c).add(FloatVector.fromArray(S, row, c)).intoArray(keys, o + c);
            }
        }
    }

    @Override
    public void startKeysWithMask(int n0, int n1, float[] features, float[][] weightRows, float[] bias) {
        int width = weightRows.length; // 16
        System.arraycopy(imageTokens, n0 * C, keys, n0 * C, (n1 - n0) * C);
        float[] w = flatten(weightRows, width, C);
        VectorGemm.multiply(features, n0 * width, width, 1, n1 - n0, width, w, 0, C, bias, true, keys, n0 * C, C);
    }

    @Override
    public void addPositionalEncoding(int n0, int n1) {
        for (int i = n0 * C, end = n1 * C; i < end; i += L) {
            FloatVector.fromArray(S, keys, i).add(FloatVector.fromArray(S, imagePe, i)).intoArray(keysPe, i);
        }
    }

    @Override
    public void project(boolean withPositionalEncoding, int n0, int n1, float[][] weightRows, float[] bias, int out,
                        float[] dst, int dstOffset) {
        float[] src = withPositionalEncoding ? keysPe : keys;
        int padded = (out + L - 1) / L * L;
        if (padded == out) {
            VectorGemm.multiply(src, n0 * C, C, 1, n1 - n0, C, flatten(weightRows, C, out), 0, out, bias, false, dst,
                    dstOffset, out);
            return;
        }
        // folded projections have 8 columns per prompt token (e.g. 56): whole vectors into a padded
        // buffer beat a scalar tail, then the out columns are copied
        float[] w = flattenPadded(weightRows, C, out, padded);
        int rows = n1 - n0;
        if (projected.length < rows * padded) {
            projected = new float[rows * padded];
        }
        VectorGemm.multiply(src, n0 * C, C, 1, rows, C, w, 0, padded, null, false, projected, 0, padded);
        for (int r = 0; r < rows; r++) {
            int d = dstOffset + r * out;
            int p = r * padded;
            if (bias == null) {
                System.arraycopy(projected, p, dst, d, out);
            } else {
                for (int o = 0; o < out; o++) {
                    dst[d + o] = projected[p + o] + bias[o];
                }
            }
        }
    }

    /**
     * One product instead of 16-term dot products per (token, head, prompt token): the prompt tokens go into a
     * block-diagonal (I, ht) matrix, so the product does heads-times the needed multiply-adds (8×) and is still
     * several times faster (whole-register tiles against short scalar chains). Dividing the tokens by the scale
     * first differs from dividing each dot product only by rounding (not at all for SAM's scale √16 = 4).
     */
    @Override
    public void headScores(float[] perImage, float[] tokens, int t, int heads, int hd, float scale, int n0, int n1,
                           float[] scores) {
        int inner = heads * hd;
        int ht = heads * t;
        int padded = (ht + L - 1) / L * L;
        if (headWeights.length < inner * padded) {
            headWeights = new float[inner * padded];
        }
        java.util.Arrays.fill(headWeights, 0, inner * padded, 0f);
        for (int h = 0; h < heads; h++) {
            for (int tt = 0; tt < t; tt++) {
                int column = h * t + tt;
                for (int d = 0; d < hd; d++) {
                    headWeights[(h * hd + d) * padded + column] = tokens[tt * inner + h * hd + d] / scale;
                }
            }
        }
        int rows = n1 - n0;
        if (headProducts.length < rows * padded) {
            headProducts = new float[rows * padded];
        }
        VectorGemm.multiply(perImage, n0 * inner, inner, 1, rows, inner, headWeights, 0, padded, null, false,
                headProducts, 0, padded);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(headProducts, r * padded, scores, (n0 + r) * ht, ht);
        }
    }

    /**
     * All heads' value columns against all weight columns in one product, (ht, I) = weightsᵀ · perImage, of
     * which each column keeps its own head's hd values: 8× the needed multiply-adds in whole-register tiles,
     * faster than 16-wide sums per (token, column). The weights are exponentials of scores less their maximum,
     * and most of a stripe's are tiny: below {@link #NEGLIGIBLE_WEIGHT} they are taken as 0 (they change no sum of
     * weights that includes a 1 at float precision), because subnormal floats in millions of fused multiply-adds
     * cost the processor a microcode assist each (measured: the product took longer than the whole decode).
     */
    @Override
    public void headWeightedSum(float[] weights, int t, float[] perImage, int heads, int hd, int n0, int n1,
                                float[] out, int outOffset, float[] partial) {
        int inner = heads * hd;
        int ht = heads * t;
        float[] flushed = withoutNegligible(weights, n0 * ht, (n1 - n0) * ht);
        if (headProducts.length < ht * inner) {
            headProducts = new float[ht * inner];
        }
        VectorGemm.multiply(flushed, 0, 1, ht, ht, n1 - n0, perImage, n0 * inner, inner, null, false,
                headProducts, 0, inner);
        for (int j = 0; j < ht; j++) {
            int h = j / t;
            System.arraycopy(headProducts, j * inner + h * hd, out, outOffset + j * hd, hd);
        }
    }

    /** weights[from, from + count) with the negligible ones 0, in a buffer of this image side's. */
    private float[] withoutNegligible(float[] weights, int from, int count) {
        if (flushedWeights.length < count) {
            flushedWeights = new float[count];
        }
        int i = 0;
        for (; i + L <= count; i += L) {
            FloatVector w = FloatVector.fromArray(S, weights, from + i);
            w.blend(0f, w.lt(NEGLIGIBLE_WEIGHT)).intoArray(flushedWeights, i);
        }
        for (; i < count; i++) {
            float w = weights[from + i];
            flushedWeights[i] = w < NEGLIGIBLE_WEIGHT ? 0f : w;
        }
        return flushedWeights;
    }

    @Override
    public void weightedSum(float[] weights, int width, int n0, int n1, float[][] rows) {
        if (sums.length < width * C) {
            sums = new float[width * C];
        }
        // rows (width, C) = weightsᵀ (width, stripe) · keys (stripe, C): weights read down its columns
        VectorGemm.multiply(weights, n0 * width, 1, width, width, n1 - n0, keys, n0 * C, C, null, false, sums, 0, C);
        for (int j = 0; j < width; j++) {
            System.arraycopy(sums, j * C, rows[j], 0, C);
        }
    }

    @Override
    public void addWeighted(float[] weights, int width, int n0, int n1, float[][] rows, float[] bias) {
        float[] w = flatten(rows, width, C);
        VectorGemm.multiply(weights, n0 * width, width, 1, n1 - n0, width, w, 0, C, bias, true, keys, n0 * C, C);
    }

    @Override
    public void layerNorm(int n0, int n1, float[] weight, float[] bias, float eps) {
        normalise(keys, n0 * C, n1 - n0, C, weight, bias, eps);
    }

    @Override
    public void upscaleAndPredict(int rowStart, int rowEnd, float[] hyper, float[] logits) {
        // upscaled1 = ConvTranspose2d(keys), one grid row of 64 tokens at a time: token (y, x)'s sub-pixel
        // k = dy·2 + dx lands on pixel (2y + dy, 2x + dx) of the 128×128 map
        for (int y = rowStart; y < rowEnd; y++) {
            VectorGemm.multiply(keys, y * GRID * C, C, 1, GRID, C, first, 0, 4 * UP1, null, false, tokenRow, 0, 4 * UP1);
            for (int x = 0; x < GRID; x++) {
                for (int k = 0; k < 4; k++) {
                    int src = (x * 4 + k) * UP1;
                    int dst = ((2 * y + (k >> 1)) * W1 + 2 * x + (k & 1)) * UP1;
                    for (int o = 0; o < UP1; o += L) {
                        FloatVector.fromArray(S, tokenRow, src + o).add(FloatVector.fromArray(S, firstBias, o))
                                .intoArray(up1, dst + o);
                    }
                }
            }
        }
        // GELU(LayerNorm2d(upscaled1)) over the stripe's pixels
        int p1 = 2 * rowStart * W1;
        int pixels = 2 * (rowEnd - rowStart) * W1;
        normalise(up1, p1 * UP1, pixels, UP1, normWeight, normBias, LayerNorm.LAYER_NORM_2D_EPS);
        geluInPlace(up1, p1 * UP1, pixels * UP1);
        // masks = hyper_in @ GELU(ConvTranspose2d(upscaled1)), one 128-pixel row at a time
        int plane = LOW_RES * LOW_RES;
        for (int y = 2 * rowStart; y < 2 * rowEnd; y++) {
            VectorGemm.multiply(up1, y * W1 * UP1, UP1, 1, W1, UP1, second, 0, 4 * UP2, null, false, pixelRow, 0, 4 * UP2);
            for (int x = 0; x < W1; x++) {
                for (int k = 0; k < 4; k++) {
                    int src = (x * 4 + k) * UP2;
                    for (int j = 0; j < UP2; j += L) {
                        FloatVector v = FloatVector.fromArray(S, pixelRow, src + j).add(FloatVector.fromArray(S, secondBias, j));
                        gelu(v).intoArray(features, j);
                    }
                    int p = (2 * y + (k >> 1)) * LOW_RES + 2 * x + (k & 1);
                    for (int m = 0; m < MASKS; m++) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int j = 0; j < UP2; j += L) {
                            acc = FloatVector.fromArray(S, hyper, m * UP2 + j).fma(FloatVector.fromArray(S, features, j), acc);
                        }
                        logits[m * plane + p] = acc.reduceLanes(VectorOperators.ADD);
                    }
                }
            }
        }
    }

    /** The softmaxes' exponentials L at a time: the JDK's vector exp (within an ulp of Math.exp). */
    @Override
    public void expOfNonPositive(float[] x, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = (float) Math.exp(x[i]);
        }
    }

    /** rows of x (rows, dim) at offset → LayerNorm in place; dim a multiple of L. */
    private static void normalise(float[] x, int offset, int rows, int dim, float[] weight, float[] bias, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = offset + r * dim;
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < dim; i += L) {
                sum = sum.add(FloatVector.fromArray(S, x, o + i));
            }
            float mean = sum.reduceLanes(VectorOperators.ADD) / dim;
            FloatVector m = FloatVector.broadcast(S, mean);
            FloatVector squares = FloatVector.zero(S);
            for (int i = 0; i < dim; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, o + i).sub(m);
                squares = d.fma(d, squares);
            }
            float std = (float) Math.sqrt(squares.reduceLanes(VectorOperators.ADD) / dim + eps);
            FloatVector scale = FloatVector.broadcast(S, 1f / std);
            for (int i = 0; i < dim; i += L) {
                FloatVector.fromArray(S, x, o + i).sub(m).mul(scale)
                        .fma(FloatVector.fromArray(S, weight, i), FloatVector.fromArray(S, bias, i))
                        .intoArray(x, o + i);
            }
        }
    }

    private void geluInPlace(float[] x, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i += L) {
            gelu(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
    }

    /**
     * Exact GELU, x·(1 + erf(x/√2))/2, with erf from Abramowitz and Stegun 7.1.28: for z ≥ 0,
     * erf(z) = 1 − (1 + a1·z + … + a6·z⁶)^−16 within 3e−7. Only multiplies, adds and one division, all of
     * which HotSpot compiles to vector instructions (a table gather or an exp would not be, in JDK 17).
     * For large z the 16th power overflows to infinity and its inverse is exactly 0, as erf's tail wants.
     */
    private static FloatVector gelu(FloatVector x) {
        FloatVector z = x.abs().mul(INV_SQRT2);
        FloatVector p = z.fma(A6, A5).fma(z, A4).fma(z, A3).fma(z, A2).fma(z, A1).fma(z, ONE);
        p = p.mul(p);
        p = p.mul(p);
        p = p.mul(p);
        p = p.mul(p);
        FloatVector tail = HALF.div(p);                  // (1 − erf(|x|/√2)) / 2
        FloatVector below = x.mul(tail);                 // x < 0: x·Φ(x) = x·(1 − erf(|x|/√2))/2
        return below.blend(x.sub(below), x.compare(VectorOperators.GE, 0f));
    }

    /** The first count rows of (width) → one (count, width) row-major array (reused). */
    private float[] flatten(float[][] rows, int count, int width) {
        int need = count * width;
        if (flatWeights.length < need) {
            flatWeights = new float[need];
        }
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows[r], 0, flatWeights, r * width, width);
        }
        return flatWeights;
    }

    /** The first count rows of (width) → (count, padded) row-major, zeros past width (reused). */
    private float[] flattenPadded(float[][] rows, int count, int width, int padded) {
        int need = count * padded;
        if (flatWeights.length < need) {
            flatWeights = new float[need];
        }
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows[r], 0, flatWeights, r * padded, width);
            java.util.Arrays.fill(flatWeights, r * padded + width, (r + 1) * padded, 0f);
        }
        return flatWeights;
    }

}

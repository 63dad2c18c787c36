package clickseg.decoder;

/**
 * SAM's mask decoder tail (mask_decoder.py: output_upscaling, then masks = hyper_in @ upscaled):
 * ConvTranspose2d 256→64 (2×2, stride 2) → LayerNorm2d → GELU → ConvTranspose2d 64→32 (2×2,
 * stride 2) → GELU, then each of the 4 masks is the dot product of its 32 hypernetwork weights
 * with every upscaled pixel.
 *
 * <p>Kernels of size 2 and stride 2 never overlap, and the norm and GELU are per pixel, so every
 * image token maps alone to its 4×4 block of low-resolution logits: any range of grid rows can be
 * computed on its own (a worker's stripe).
 *
 * <p>The weights are kept in the layout a matrix product over image tokens wants: one token's 256
 * channels times {@link #firstWeight} (256, 4·64) give its 2×2 output pixels' 64 channels, in
 * sub-pixel order k = dy·2 + dx.
 */
public final class OutputUpscaling {
    static final int C = DecoderWeights.EMBED_DIM;
    public static final int UP1 = DecoderWeights.UPSCALE1_DIM; // 64
    public static final int UP2 = DecoderWeights.UPSCALE2_DIM; // 32
    public static final int MASKS = DecoderWeights.NUM_MASK_TOKENS;
    static final int GRID = MaskDecoder.GRID;
    static final int LOW_RES = DecoderResult.SIZE;

    private final float[] first;        // (C, 4·UP1): [c][k·64 + o], ConvTranspose2d(256, 64, 2, 2)
    private final float[][] firstRows;  // the same as (C) rows of (4·UP1)
    private final float[] firstBias;    // (UP1)
    private final float[] normWeight;   // (UP1) LayerNorm2d
    private final float[] normBias;     // (UP1)
    private final float[] second;       // (UP1, 4·UP2): [o][k·32 + j], ConvTranspose2d(64, 32, 2, 2)
    private final float[][] secondRows; // the same as (UP1) rows of (4·UP2)
    private final float[] secondBias;   // (UP2)

    OutputUpscaling(DecoderWeights w, String prefix) {
        first = subPixelMajor(w.get(prefix + "0.weight"), C, UP1);     // PyTorch (C, 64, 2, 2)
        firstRows = Axpy.rows(first, C, 4 * UP1);
        firstBias = w.get(prefix + "0.bias");
        normWeight = w.get(prefix + "1.weight");
        normBias = w.get(prefix + "1.bias");
        second = subPixelMajor(w.get(prefix + "3.weight"), UP1, UP2); // PyTorch (64, 32, 2, 2)
        secondRows = Axpy.rows(second, UP1, 4 * UP2);
        secondBias = w.get(prefix + "3.bias");
    }

    /** ConvTranspose2d weight (in, out, 2, 2) → (in, 4·out) with the sub-pixel k = dy·2 + dx outermost. */
    private static float[] subPixelMajor(float[] weight, int in, int out) {
        float[] t = new float[in * 4 * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < 4; k++) {
                    t[i * 4 * out + k * out + o] = weight[(i * out + o) * 4 + k];
                }
            }
        }
        return t;
    }

    /** (C, 4·64) the first transposed convolution, [c][k·64 + o]. A copy. */
    public float[] firstWeight() {
        return first.clone();
    }

    /** (64) */
    public float[] firstBias() {
        return firstBias.clone();
    }

    /** (64) LayerNorm2d weight and bias. */
    public float[] normWeight() {
        return normWeight.clone();
    }

    public float[] normBias() {
        return normBias.clone();
    }

    /** (64, 4·32) the second transposed convolution, [o][k·32 + j]. A copy. */
    public float[] secondWeight() {
        return second.clone();
    }

    /** (32) */
    public float[] secondBias() {
        return secondBias.clone();
    }

    /** Multiply-adds for grid rows [rowStart, rowEnd). */
    public static long multiplyAdds(int rowStart, int rowEnd) {
        long tokens = (long) (rowEnd - rowStart) * GRID;
        return tokens * C * 4 * UP1 + tokens * 4 * UP1 * 4 * UP2 + tokens * 16 * UP2 * MASKS;
    }

    /** Scratch for {@link #predict}, allocated once per decoder. */
    static final class Scratch {
        final float[] upscaled1 = new float[128 * 128 * UP1]; // (128*128, 64) channels-last
        final float[] upscaled2 = new float[256 * 256 * UP2]; // (256*256, 32)
        final float[][] pixels = new float[4][4 * UP1];       // 4 × (2*2*64) input pixels' outputs
    }

    /**
     * The Java path: masks for grid rows [rowStart, rowEnd) from the final image tokens.
     *
     * @param keys   (N, C) image tokens leaving the transformer, token-major
     * @param hyper  (4, 32) each mask's hypernetwork output
     * @param logits (4, 256, 256): rows [4·rowStart, 4·rowEnd) of each mask are written
     */
    void predict(float[] keys, int rowStart, int rowEnd, float[] hyper, float[] logits, boolean shareWeightLoads,
                 Scratch s) {
        int w1 = 2 * GRID; // 128
        int rows = rowEnd - rowStart;
        float[] up1 = s.upscaled1;
        float[][] acc = s.pixels;
        int span1 = 4 * UP1; // one input pixel's 2×2×64 outputs
        // upscaled1 = ConvTranspose2d(keys)  four pixels share the weight stream
        for (int y = rowStart; y < rowEnd; y++) {
            for (int x = 0; x < GRID; x += 4) {
                for (int q = 0; q < 4; q++) {
                    java.util.Arrays.fill(acc[q], 0, span1, 0f);
                }
                int ko = (y * GRID + x) * C;
                Axpy.accumulateFour(shareWeightLoads, acc[0], acc[1], acc[2], acc[3], keys, ko, keys, ko + C, keys,
                        ko + 2 * C, keys, ko + 3 * C, C, firstRows, span1);
                for (int q = 0; q < 4; q++) {
                    float[] a = acc[q];
                    for (int k = 0; k < 4; k++) {
                        int py = 2 * y + (k >> 1);
                        int px = 2 * (x + q) + (k & 1);
                        int po = (py * w1 + px) * UP1;
                        int ao = k * UP1;
                        for (int o = 0; o < UP1; o++) {
                            up1[po + o] = a[ao + o] + firstBias[o];
                        }
                    }
                }
            }
        }
        // GELU(LayerNorm2d(upscaled1))
        int p1 = 2 * rowStart * w1;  // first pixel of the stripe at 128×128
        int pixels1 = 2 * rows * w1;
        LayerNorm.rows(up1, p1 * UP1, pixels1, UP1, normWeight, normBias, LayerNorm.LAYER_NORM_2D_EPS, up1, p1 * UP1);
        Gelu.applyInPlace(up1, p1 * UP1, pixels1 * UP1);

        // upscaled2 = GELU(ConvTranspose2d(upscaled1))
        float[] up2 = s.upscaled2;
        int span2 = 4 * UP2;
        for (int y = 2 * rowStart; y < 2 * rowEnd; y++) {
            for (int x = 0; x < w1; x += 4) {
                for (int q = 0; q < 4; q++) {
                    java.util.Arrays.fill(acc[q], 0, span2, 0f);
                }
                int io = (y * w1 + x) * UP1;
                Axpy.accumulateFour(shareWeightLoads, acc[0], acc[1], acc[2], acc[3], up1, io, up1, io + UP1, up1,
                        io + 2 * UP1, up1, io + 3 * UP1, UP1, secondRows, span2);
                for (int q = 0; q < 4; q++) {
                    float[] a = acc[q];
                    for (int k = 0; k < 4; k++) {
                        int py = 2 * y + (k >> 1);
                        int px = 2 * (x + q) + (k & 1);
                        int po = (py * LOW_RES + px) * UP2;
                        int ao = k * UP2;
                        for (int j = 0; j < UP2; j++) {
                            up2[po + j] = Gelu.apply(a[ao + j] + secondBias[j]);
                        }
                    }
                }
            }
        }
        // masks = hyper_in @ upscaled2: (4, 32)·(32, pixels). The four masks' dot products side by
        // side: four independent sums keep the adder busy (each sum's order is unchanged)
        int plane = LOW_RES * LOW_RES;
        int pEnd = 4 * rowEnd * LOW_RES;
        for (int p = 4 * rowStart * LOW_RES; p < pEnd; p++) {
            int po = p * UP2;
            float v0 = 0f;
            float v1 = 0f;
            float v2 = 0f;
            float v3 = 0f;
            for (int j = 0; j < UP2; j++) {
                float u = up2[po + j];
                v0 += hyper[j] * u;
                v1 += hyper[UP2 + j] * u;
                v2 += hyper[2 * UP2 + j] * u;
                v3 += hyper[3 * UP2 + j] * u;
            }
            logits[p] = v0;
            logits[plane + p] = v1;
            logits[2 * plane + p] = v2;
            logits[3 * plane + p] = v3;
        }
    }
}

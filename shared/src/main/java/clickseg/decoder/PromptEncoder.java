package clickseg.decoder;

import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;

/**
 * SAM's PromptEncoder (prompt_encoder.py) as the ONNX export runs it: points and box corners become
 * sparse embeddings (random Fourier features of their position plus their label's embedding), a
 * previous mask becomes the dense embedding (mask_downscaling), and get_dense_pe() is the positional
 * encoding of the 64×64 image-token grid.
 */
final class PromptEncoder {
    static final int C = DecoderWeights.EMBED_DIM;
    static final int N = MaskDecoder.IMAGE_TOKENS;
    static final int GRID = MaskDecoder.GRID;
    static final int LOW_RES = DecoderResult.SIZE;
    static final int MASK_CHANNELS = 16;

    private final float[] gaussian;          // (2, C/2) pe_layer.positional_encoding_gaussian_matrix
    private final float[][] pointEmbeddings; // [4] (C): labels 0, 1, 2, 3
    private final float[] notAPoint;         // (C) label -1
    private final float[] noMask;            // (C) dense embedding when there is no mask input
    private final float[] maskConv0;         // (4, 1, 2, 2)   mask_downscaling.0: Conv2d(1, 4, 2, 2)
    private final float[] maskConv0Bias;     // (4)
    private final float[] maskNorm1;         // (4)            mask_downscaling.1: LayerNorm2d(4)
    private final float[] maskNorm1Bias;     // (4)
    private final float[] maskConv3;         // (16, 4, 2, 2)  mask_downscaling.3: Conv2d(4, 16, 2, 2)
    private final float[] maskConv3Bias;     // (16)
    private final float[] maskNorm4;         // (16)           mask_downscaling.4: LayerNorm2d(16)
    private final float[] maskNorm4Bias;     // (16)
    private final float[][] maskConv6;       // (16) rows of (C): mask_downscaling.6, Conv2d(16, 256, 1) as (in, out)
    private final float[] maskConv6Bias;     // (C)
    private final float[] imagePe;           // (N, C) the grid's dense positional encoding, token-major

    PromptEncoder(DecoderWeights w, String prefix) {
        gaussian = w.get(prefix + "pe_layer.positional_encoding_gaussian_matrix");
        pointEmbeddings = new float[4][];
        for (int i = 0; i < 4; i++) {
            pointEmbeddings[i] = w.get(prefix + "point_embeddings." + i + ".weight");
        }
        notAPoint = w.get(prefix + "not_a_point_embed.weight");
        noMask = w.get(prefix + "no_mask_embed.weight");
        maskConv0 = w.get(prefix + "mask_downscaling.0.weight");
        maskConv0Bias = w.get(prefix + "mask_downscaling.0.bias");
        maskNorm1 = w.get(prefix + "mask_downscaling.1.weight");
        maskNorm1Bias = w.get(prefix + "mask_downscaling.1.bias");
        maskConv3 = w.get(prefix + "mask_downscaling.3.weight");
        maskConv3Bias = w.get(prefix + "mask_downscaling.3.bias");
        maskNorm4 = w.get(prefix + "mask_downscaling.4.weight");
        maskNorm4Bias = w.get(prefix + "mask_downscaling.4.bias");
        maskConv6 = Linear.inOutRows(w.get(prefix + "mask_downscaling.6.weight"), C, MASK_CHANNELS);
        maskConv6Bias = w.get(prefix + "mask_downscaling.6.bias");
        // get_dense_pe(): the encoding of each token's centre, ((x + 0.5)/64, (y + 0.5)/64)
        imagePe = new float[N * C];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                PositionalEncoding.encode(gaussian, (x + 0.5f) / GRID, (y + 0.5f) / GRID, imagePe, (y * GRID + x) * C);
            }
        }
    }

    /** (N, C) image_pe, token-major. Read-only. */
    float[] imagePe() {
        return imagePe;
    }

    /** (16) rows of (C): mask_downscaling.6, the 1×1 convolution from the mask features to C channels. Read-only. */
    float[][] maskProjection() {
        return maskConv6;
    }

    /** (C) its bias. Read-only. */
    float[] maskProjectionBias() {
        return maskConv6Bias;
    }

    /** (C) no_mask_embed: the dense embedding of every token when there is no mask input. Read-only. */
    float[] noMaskEmbedding() {
        return noMask;
    }

    /**
     * Sparse prompt embeddings (the export's _embed_points): Fourier features of (p + 0.5)/1024 plus
     * the label's embedding; padding points (label −1) are not_a_point_embed alone.
     *
     * @param coords (points, 2) in the 1024 model frame
     * @param dst    receives (points, C) at dstOffset
     */
    void embedPoints(float[] coords, int[] labels, int points, float[] dst, int dstOffset) {
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
     * A 256×256 mask's features before the last 1×1 convolution of mask_downscaling, (N, 16)
     * token-major in s.maskDown2, for grid rows [rowStart, rowEnd): its 2×2/2 convolutions never
     * overlap and its norms are per pixel. The dense embedding is features · {@link #maskProjection()}
     * + {@link #maskProjectionBias()}; the image side applies that (see ImageSide.startKeysWithMask).
     * Returns multiply-adds, the 1×1 convolution's included.
     */
    long embedMask(float[] mask, int rowStart, int rowEnd, DecoderScratch s) {
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
        return (long) pixels1 * 4 * 4 + (long) tokens * 16 * 16 + (long) tokens * 16 * C;
    }

}

package clickseg.web.simd;

import clickseg.decoder.Gelu;
import clickseg.decoder.ImageSide;
import clickseg.decoder.LayerNorm;
import clickseg.decoder.OutputUpscaling;

/**
 * The image side of a decode on WebAssembly SIMD kernels ({@link SimdKernels}). The image tokens,
 * keys, keysPe, the positional encoding and the upscaling weights live in linear memory for good;
 * per call only the token side's small matrices are copied in and scores, sums and logits copied out.
 *
 * <p>Regions (floats): pe, tokens, keys, keysPe (N, C) each; up1 (N, 4·64) and up2 (N·4, 4·32) for the
 * output upscaling; masks (N·16, 4); a token-side matrix (C or width rows) and an image-side scratch
 * (N, width) that grow when a prompt has more points than any before.
 */
public final class SimdImageSide implements ImageSide {
    static final int C = 256;
    static final int N = 4096;
    static final int GRID = 64;
    static final int LOW_RES = 256;
    static final int UP1 = OutputUpscaling.UP1;
    static final int UP2 = OutputUpscaling.UP2;
    static final int MASKS = OutputUpscaling.MASKS;

    /** Makes every decoder's image side in linear memory. */
    public static final Factory FACTORY = SimdImageSide::new;

    private final int pe;
    private final int tokens;
    private final int keys;
    private final int keysPe;
    private final int vectors;      // (2, C): a row to broadcast, or a norm's weight and bias
    private final int up1;          // (N, 4·64) first transposed convolution, sub-pixel major per token
    private final int up2;          // (N·4, 4·32) second one
    private final int masks;        // (N·16, 4) the masks' logits per output pixel, in token order
    private final int firstWeight;  // (C, 4·64)
    private final int firstBias;    // (4·64): the bias repeated per sub-pixel
    private final int normWeight;   // (64)
    private final int normBias;     // (64)
    private final int secondWeight; // (64, 4·32)
    private final int secondBias;   // (4·32)
    private final int hyper;        // (32, 4): hyper_in transposed
    private final int geluTable;
    private int matrix;             // token-side matrix, (C, width) or (width, C)
    private int matrixWidth;
    private int scratch;            // (N, width) scores out or attention weights in
    private int scratchWidth;
    private final float[] hyperTransposed = new float[UP2 * MASKS];

    private SimdImageSide(float[] imagePe, OutputUpscaling upscaling) {
        pe = LinearMemory.allocate(N * C);
        LinearMemory.write(imagePe, 0, N * C, pe);
        tokens = LinearMemory.allocate(N * C);
        keys = LinearMemory.allocate(N * C);
        keysPe = LinearMemory.allocate(N * C);
        vectors = LinearMemory.allocate(2 * C);
        up1 = LinearMemory.allocate(N * 4 * UP1);
        up2 = LinearMemory.allocate(N * 4 * 4 * UP2);
        masks = LinearMemory.allocate(N * 16 * MASKS);
        firstWeight = upload(upscaling.firstWeight());
        firstBias = upload(repeat(upscaling.firstBias(), 4));
        normWeight = upload(upscaling.normWeight());
        normBias = upload(upscaling.normBias());
        secondWeight = upload(upscaling.secondWeight());
        secondBias = upload(repeat(upscaling.secondBias(), 4));
        hyper = LinearMemory.allocate(UP2 * MASKS);
        geluTable = upload(Gelu.table());
        ensureMatrix(64);
        ensureScratch(64);
    }

    private static int upload(float[] values) {
        int address = LinearMemory.allocate(values.length);
        LinearMemory.write(values, 0, values.length, address);
        return address;
    }

    private static float[] repeat(float[] values, int times) {
        float[] out = new float[values.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(values, 0, out, t * values.length, values.length);
        }
        return out;
    }

    /** Byte address of image token n's row in a (N, C) region. */
    private static int row(int region, int n) {
        return region + 4 * n * C;
    }

    @Override
    public void useImage(float[] imageTokens) {
        LinearMemory.write(imageTokens, 0, N * C, tokens);
    }

    @Override
    public void startKeys(int n0, int n1, float[] rowValues) {
        LinearMemory.write(rowValues, 0, C, vectors);
        SimdKernels.addRow(row(tokens, n0), vectors, row(keys, n0), n1 - n0, C);
    }

    @Override
    public void startKeysWithMask(int n0, int n1, float[] features, float[][] weightRows, float[] bias) {
        int rows = n1 - n0;
        int width = weightRows.length; // 16 features per token
        ensureMatrix(width);
        ensureScratch(width);
        LinearMemory.write(features, n0 * width, rows * width, scratch);
        LinearMemory.writeRows(weightRows, width, C, matrix);
        // keys (rows, C) = features (rows, 16) · W6 (16, C) + b6 + image tokens
        SimdKernels.gemm(scratch, width, 1, matrix, C, row(keys, n0), C, rows, width, C, 0);
        LinearMemory.write(bias, 0, C, vectors);
        SimdKernels.addRow(row(keys, n0), vectors, row(keys, n0), rows, C);
        SimdKernels.add(row(tokens, n0), row(keys, n0), row(keys, n0), rows * C);
    }

    @Override
    public void addPositionalEncoding(int n0, int n1) {
        SimdKernels.add(row(keys, n0), row(pe, n0), row(keysPe, n0), (n1 - n0) * C);
    }

    @Override
    public void project(boolean withPositionalEncoding, int n0, int n1, float[][] weightRows, float[] bias, int out,
                        float[] dst, int dstOffset) {
        int rows = n1 - n0;
        ensureMatrix(out);
        ensureScratch(out);
        LinearMemory.writeRows(weightRows, C, out, matrix);
        // scratch (rows, out) = src (rows, C) · W (C, out) [+ bias]
        SimdKernels.gemm(row(withPositionalEncoding ? keysPe : keys, n0), C, 1, matrix, out, scratch, out, rows, C, out, 0);
        if (bias != null) {
            LinearMemory.write(bias, 0, out, matrix); // the weights are no longer needed
            SimdKernels.addRow(scratch, matrix, scratch, rows, out);
        }
        LinearMemory.read(scratch, dst, dstOffset, rows * out);
    }

    @Override
    public void weightedSum(float[] weights, int width, int n0, int n1, float[][] rowsOut) {
        int rows = n1 - n0;
        ensureMatrix(width);
        ensureScratch(width);
        LinearMemory.write(weights, n0 * width, rows * width, scratch);
        // matrix (width, C) = weightsᵀ (width, rows) · keys (rows, C): the weights read transposed
        SimdKernels.gemm(scratch, 1, width, row(keys, n0), C, matrix, C, width, rows, C, 0);
        LinearMemory.readRows(matrix, rowsOut, width, C);
    }

    @Override
    public void addWeighted(float[] weights, int width, int n0, int n1, float[][] rowsIn, float[] bias) {
        int rows = n1 - n0;
        ensureMatrix(width);
        ensureScratch(width);
        LinearMemory.write(weights, n0 * width, rows * width, scratch);
        LinearMemory.writeRows(rowsIn, width, C, matrix);
        // keys (rows, C) += weights (rows, width) · rows (width, C) + bias
        SimdKernels.gemm(scratch, width, 1, matrix, C, row(keys, n0), C, rows, width, C, 1);
        LinearMemory.write(bias, 0, C, vectors);
        SimdKernels.addRow(row(keys, n0), vectors, row(keys, n0), rows, C);
    }

    @Override
    public void layerNorm(int n0, int n1, float[] weight, float[] bias, float eps) {
        LinearMemory.write(weight, 0, C, vectors);
        LinearMemory.write(bias, 0, C, vectors + 4 * C);
        SimdKernels.layerNorm(row(keys, n0), n1 - n0, C, vectors, vectors + 4 * C, eps);
    }

    @Override
    public void upscaleAndPredict(int rowStart, int rowEnd, float[] hyperIn, float[] logits) {
        int n0 = rowStart * GRID;
        int tokenCount = (rowEnd - rowStart) * GRID;
        // up1 (tokens, 4·64) = GELU(LayerNorm2d(keys · W1 + b1)), per output pixel of 64 channels
        SimdKernels.gemm(row(keys, n0), C, 1, firstWeight, 4 * UP1, up1, 4 * UP1, tokenCount, C, 4 * UP1, 0);
        SimdKernels.addRow(up1, firstBias, up1, tokenCount, 4 * UP1);
        SimdKernels.layerNorm(up1, tokenCount * 4, UP1, normWeight, normBias, LayerNorm.LAYER_NORM_2D_EPS);
        SimdKernels.gelu(up1, tokenCount * 4, UP1, 0, geluTable);
        // up2 (tokens·4, 4·32) = GELU(up1 · W2 + b2)
        SimdKernels.gemm(up1, UP1, 1, secondWeight, 4 * UP2, up2, 4 * UP2, tokenCount * 4, UP1, 4 * UP2, 0);
        SimdKernels.gelu(up2, tokenCount * 4, 4 * UP2, secondBias, geluTable);
        // masks (tokens·16, 4) = up2 (tokens·16, 32) · hyper_inᵀ (32, 4)
        for (int m = 0; m < MASKS; m++) {
            for (int j = 0; j < UP2; j++) {
                hyperTransposed[j * MASKS + m] = hyperIn[m * UP2 + j];
            }
        }
        LinearMemory.write(hyperTransposed, 0, UP2 * MASKS, hyper);
        SimdKernels.gemm(up2, UP2, 1, hyper, MASKS, masks, MASKS, tokenCount * 16, UP2, MASKS, 0);
        scatterLogits(rowStart, tokenCount, logits);
    }

    /**
     * masks row ((t·4 + k1)·4 + k2) is the output pixel of token t = (y, x) at sub-pixel k1 = (dy, dx) of
     * the first convolution and k2 = (dy2, dx2) of the second: low-res pixel (4y + 2dy + dy2, 4x + 2dx + dx2).
     */
    private void scatterLogits(int rowStart, int tokenCount, float[] logits) {
        int plane = LOW_RES * LOW_RES;
        int address = masks;
        for (int t = 0; t < tokenCount; t++) {
            int y = rowStart + t / GRID;
            int x = t % GRID;
            for (int k1 = 0; k1 < 4; k1++) {
                for (int k2 = 0; k2 < 4; k2++) {
                    int py = 4 * y + 2 * (k1 >> 1) + (k2 >> 1);
                    int px = 4 * x + 2 * (k1 & 1) + (k2 & 1);
                    int p = py * LOW_RES + px;
                    for (int m = 0; m < MASKS; m++) {
                        logits[m * plane + p] = LinearMemory.get(address);
                        address += 4;
                    }
                }
            }
        }
    }

    private void ensureMatrix(int width) {
        if (width > matrixWidth) {
            matrixWidth = Math.max(width, 2 * matrixWidth);
            matrix = LinearMemory.allocate(C * matrixWidth);
        }
    }

    private void ensureScratch(int width) {
        if (width > scratchWidth) {
            scratchWidth = Math.max(width, 2 * scratchWidth);
            scratch = LinearMemory.allocate(N * scratchWidth);
        }
    }
}

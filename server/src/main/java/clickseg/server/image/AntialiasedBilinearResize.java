package clickseg.server.image;

/**
 * PIL's {@code Image.resize(size, BILINEAR)} on 8-bit RGB, reproduced to the bit: a separable triangle
 * filter whose support widens with the downscale factor (that widening is the antialiasing), fixed-point
 * weights with 22 fractional bits, a horizontal pass rounded to 8 bits, then a vertical pass.
 * SAM's {@code ResizeLongestSide.apply_image} resizes through PIL exactly like this, so the encoder sees
 * the pixels it was trained on.
 */
public final class AntialiasedBilinearResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private AntialiasedBilinearResize() {
    }

    /**
     * @param src (srcH, srcW, 3) interleaved RGB
     * @return (dstH, dstW, 3) interleaved RGB
     */
    public static byte[] resize(byte[] src, int srcW, int srcH, int dstW, int dstH) {
        boolean horizontal = dstW != srcW;
        boolean vertical = dstH != srcH;
        if (!horizontal && !vertical) {
            return src.clone();
        }
        Coefficients vc = vertical ? Coefficients.of(srcH, dstH) : null;
        byte[] current = src;
        int currentH = srcH;
        int firstRow = 0;
        if (horizontal) {
            // Only the rows the vertical pass will read need the horizontal pass.
            int rowEnd = srcH;
            if (vertical) {
                firstRow = vc.bounds[0];
                rowEnd = vc.bounds[2 * (dstH - 1)] + vc.bounds[2 * (dstH - 1) + 1];
            }
            int rows = rowEnd - firstRow;
            byte[] out = new byte[rows * dstW * 3]; // (rows, dstW, 3)
            Coefficients hc = Coefficients.of(srcW, dstW);
            horizontalPass(src, srcW, firstRow, rows, out, dstW, hc);
            current = out;
            currentH = rows;
        }
        if (!vertical) {
            return current;
        }
        byte[] out = new byte[dstH * dstW * 3]; // (dstH, dstW, 3)
        verticalPass(current, dstW, firstRow, out, dstH, vc);
        return out;
    }

    // imOut[yy][xx] = clip8(sum_x imIn[yy][xmin + x] * k[xx][x])
    private static void horizontalPass(byte[] src, int srcW, int firstRow, int rows, byte[] out, int dstW, Coefficients c) {
        for (int yy = 0; yy < rows; yy++) {
            int srcRow = (firstRow + yy) * srcW * 3;
            int outRow = yy * dstW * 3;
            for (int xx = 0; xx < dstW; xx++) {
                int xmin = c.bounds[2 * xx];
                int xcount = c.bounds[2 * xx + 1];
                int k = xx * c.ksize;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int x = 0; x < xcount; x++) {
                    int w = c.weights[k + x];
                    int s = srcRow + (xmin + x) * 3;
                    r += (src[s] & 0xFF) * w;
                    g += (src[s + 1] & 0xFF) * w;
                    b += (src[s + 2] & 0xFF) * w;
                }
                out[outRow + xx * 3] = clip8(r);
                out[outRow + xx * 3 + 1] = clip8(g);
                out[outRow + xx * 3 + 2] = clip8(b);
            }
        }
    }

    // imOut[yy][x] = clip8(sum_y imIn[ymin + y - firstRow][x] * k[yy][y])
    private static void verticalPass(byte[] src, int width, int firstRow, byte[] out, int dstH, Coefficients c) {
        int stride = width * 3;
        for (int yy = 0; yy < dstH; yy++) {
            int ymin = c.bounds[2 * yy] - firstRow;
            int ycount = c.bounds[2 * yy + 1];
            int k = yy * c.ksize;
            int outRow = yy * stride;
            for (int i = 0; i < stride; i++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < ycount; y++) {
                    acc += (src[(ymin + y) * stride + i] & 0xFF) * c.weights[k + y];
                }
                out[outRow + i] = clip8(acc);
            }
        }
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** PIL's precompute_coeffs + normalize_coeffs_8bpc for the bilinear (triangle) filter. */
    private static final class Coefficients {
        final int ksize;
        final int[] bounds;  // (outSize, 2): first input index, count
        final int[] weights; // (outSize, ksize), fixed point with PRECISION_BITS fractional bits

        private Coefficients(int ksize, int[] bounds, int[] weights) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.weights = weights;
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale; // bilinear support is 1 input pixel, widened when shrinking
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            double invFilterScale = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double sum = 0;
                for (int x = 0; x < xmax; x++) {
                    double w = triangle((x + xmin - center + 0.5) * invFilterScale);
                    k[x] = w;
                    sum += w;
                }
                for (int x = 0; x < ksize; x++) {
                    double w = x < xmax && sum != 0 ? k[x] / sum : 0;
                    weights[xx * ksize + x] = w < 0
                            ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, weights);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}

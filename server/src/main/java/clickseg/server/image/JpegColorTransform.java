package clickseg.server.image;

/**
 * Turns a JPEG's decoded component samples into RGB the way libjpeg does for PIL and OpenCV: YCbCr with
 * libjpeg's fixed-point tables (jdcolor.c), and CMYK/YCCK with the naive formula both libraries use
 * (R = (255 - K) - C * (255 - K) / 255), never an embedded ICC profile.
 */
final class JpegColorTransform {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);

    /** Indexed by a Cr or Cb sample (0-255). */
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColorTransform() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    /**
     * @param samples component samples (height, width, components) as the JPEG stores them
     * @param rgb     output (height, width, 3)
     */
    static void toRgb(byte[] samples, int components, JpegStructure structure, byte[] rgb, int pixels) {
        switch (components) {
            case 1 -> {
                for (int i = 0; i < pixels; i++) {
                    byte v = samples[i];
                    rgb[3 * i] = v;
                    rgb[3 * i + 1] = v;
                    rgb[3 * i + 2] = v;
                }
            }
            case 3 -> {
                if (structure.threeComponentsAreRgb()) {
                    System.arraycopy(samples, 0, rgb, 0, pixels * 3);
                } else {
                    for (int i = 0; i < pixels; i++) {
                        ycbcrToRgb(samples, 3 * i, rgb, 3 * i);
                    }
                }
            }
            case 4 -> {
                boolean ycck = structure.fourComponentsAreYcck();
                // CMYK JPEGs follow Adobe's convention of storing 255 - ink; PIL ("CMYK;I", "assume adobe
                // conventions") and OpenCV both read every 4-component JPEG that way, so do we.
                byte[] inverted = new byte[3];
                for (int i = 0; i < pixels; i++) {
                    int s = 4 * i;
                    int cInv;
                    int mInv;
                    int yInv;
                    if (ycck) {
                        // YCbCr -> R'G'B', which are the stored (inverted) C, M, Y.
                        ycbcrToRgb(samples, s, inverted, 0);
                        cInv = inverted[0] & 0xFF;
                        mInv = inverted[1] & 0xFF;
                        yInv = inverted[2] & 0xFF;
                    } else {
                        cInv = samples[s] & 0xFF;
                        mInv = samples[s + 1] & 0xFF;
                        yInv = samples[s + 2] & 0xFF;
                    }
                    int nk = samples[s + 3] & 0xFF; // 255 - K
                    // PIL's cmyk2rgb: R = (255 - K) - C * (255 - K) / 255, rounded as MULDIV255.
                    rgb[3 * i] = (byte) (nk - div255((255 - cInv) * nk));
                    rgb[3 * i + 1] = (byte) (nk - div255((255 - mInv) * nk));
                    rgb[3 * i + 2] = (byte) (nk - div255((255 - yInv) * nk));
                }
            }
            default -> throw new IllegalArgumentException(components + " JPEG components");
        }
    }

    private static void ycbcrToRgb(byte[] in, int i, byte[] out, int o) {
        int y = in[i] & 0xFF;
        int cb = in[i + 1] & 0xFF;
        int cr = in[i + 2] & 0xFF;
        out[o] = clamp(y + CR_R[cr]);
        out[o + 1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
        out[o + 2] = clamp(y + CB_B[cb]);
    }

    /** Rounded x / 255 for 0 <= x <= 255 * 255, as PIL's MULDIV255. */
    private static int div255(int x) {
        int t = x + 128;
        return (t + (t >> 8)) >> 8;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}

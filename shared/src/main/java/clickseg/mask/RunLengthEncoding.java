package clickseg.mask;

/**
 * COCO run-length encoding, bit-compatible with pycocotools: runs over the mask in column-major
 * (Fortran) order, starting with a run of zeros (possibly empty), and the compressed "counts"
 * string of pycocotools' rleToString (each count, after the third minus the count two before it,
 * as little-endian 5-bit groups with a continuation bit 0x20, offset by 48 into printable ASCII).
 */
public final class RunLengthEncoding {
    private RunLengthEncoding() {
    }

    /** Alternating run lengths, zeros first, in column-major order. */
    public static int[] counts(BinaryMask mask) {
        int width = mask.width();
        int height = mask.height();
        byte[] pixels = mask.pixels();
        int[] runs = new int[16];
        int n = 0;
        int run = 0;
        boolean current = false;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean inside = pixels[y * width + x] != 0;
                if (inside != current) {
                    if (n == runs.length) {
                        runs = java.util.Arrays.copyOf(runs, n * 2);
                    }
                    runs[n++] = run;
                    run = 0;
                    current = inside;
                }
                run++;
            }
        }
        if (n == runs.length) {
            runs = java.util.Arrays.copyOf(runs, n + 1);
        }
        runs[n++] = run;
        return java.util.Arrays.copyOf(runs, n);
    }

    /** pycocotools' compressed counts string. */
    public static String encode(int[] counts) {
        StringBuilder sb = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5; // arithmetic shift, as the C code on a signed long
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    public static String encode(BinaryMask mask) {
        return encode(counts(mask));
    }

    /** Inverse of {@link #encode(int[])}; rejects malformed strings. */
    public static int[] decodeCounts(String s) {
        int[] counts = new int[16];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("truncated RLE counts string");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("invalid character in RLE counts at " + p);
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += counts[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid RLE count " + x);
            }
            if (m == counts.length) {
                counts = java.util.Arrays.copyOf(counts, m * 2);
            }
            counts[m++] = (int) x;
        }
        return java.util.Arrays.copyOf(counts, m);
    }

    /** Rebuilds the mask; the counts must sum to width × height. */
    public static BinaryMask decode(int[] counts, int width, int height) {
        BinaryMask mask = new BinaryMask(width, height);
        byte[] pixels = mask.pixels();
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total != (long) width * height) {
            throw new IllegalArgumentException("RLE covers " + total + " pixels, mask has " + (long) width * height);
        }
        int index = 0; // column-major position
        boolean inside = false;
        for (int c : counts) {
            for (int i = 0; i < c; i++, index++) {
                if (inside) {
                    int x = index / height;
                    int y = index % height;
                    pixels[y * width + x] = 1;
                }
            }
            inside = !inside;
        }
        return mask;
    }

    public static BinaryMask decode(String counts, int width, int height) {
        return decode(decodeCounts(counts), width, height);
    }
}

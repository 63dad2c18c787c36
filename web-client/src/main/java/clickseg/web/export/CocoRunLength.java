package clickseg.web.export;

import clickseg.web.render.MaskRaster;

/**
 * COCO run-length encoding of a binary mask, as pycocotools writes it: runs counted in
 * column-major (Fortran) order starting with a run of zeros, then compressed into a string
 * (each count, after subtracting the count two places earlier from the fourth on, written as
 * 5-bit groups with a continuation bit, offset by 48).
 *
 * <p>Temporary web-client copy: the lead replaces it with shared's
 * {@code clickseg.mask.RunLengthEncoding}.
 */
public final class CocoRunLength {
    private CocoRunLength() {
    }

    /** Run lengths in column-major order, alternating outside/inside, first run outside. */
    public static int[] counts(MaskRaster mask) {
        int w = mask.width;
        int h = mask.height;
        byte[] in = mask.inside;
        int[] runs = new int[16];
        int n = 0;
        int current = 0;
        int length = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                int v = in[y * w + x];
                if (v != current) {
                    if (n == runs.length) {
                        runs = grow(runs);
                    }
                    runs[n++] = length;
                    current = v;
                    length = 0;
                }
                length++;
            }
        }
        if (n == runs.length) {
            runs = grow(runs);
        }
        runs[n++] = length;
        int[] exact = new int[n];
        System.arraycopy(runs, 0, exact, 0, n);
        return exact;
    }

    /** The compressed counts string of pycocotools' {@code rleToString}. */
    public static String compress(int[] counts) {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** Inverse of {@link #compress}, used to check what we wrote. */
    public static int[] decompress(String s) {
        int[] counts = new int[16];
        int n = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                int c = s.charAt(p) - 48;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (n > 2) {
                x += counts[n - 2];
            }
            if (n == counts.length) {
                counts = grow(counts);
            }
            counts[n++] = (int) x;
        }
        int[] exact = new int[n];
        System.arraycopy(counts, 0, exact, 0, n);
        return exact;
    }

    /**
     * A COCO-style annotation for one mask of an image of the mask's size:
     * {@code {"segmentation":{"size":[h,w],"counts":"…"},"area":…,"bbox":[x,y,w,h]}}.
     */
    public static String annotationJson(MaskRaster mask, String imageId) {
        StringBuilder json = new StringBuilder();
        json.append("{\"image_id\":\"").append(jsonEscaped(imageId)).append("\",");
        json.append("\"segmentation\":{\"size\":[").append(mask.height).append(',').append(mask.width)
                .append("],\"counts\":\"").append(jsonEscaped(compress(counts(mask)))).append("\"},");
        json.append("\"area\":").append(mask.area()).append(',');
        json.append("\"bbox\":[").append(mask.boxX()).append(',').append(mask.boxY()).append(',')
                .append(mask.boxWidth()).append(',').append(mask.boxHeight()).append("]}");
        return json.toString();
    }

    private static String jsonEscaped(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int[] grow(int[] a) {
        int[] b = new int[a.length * 2];
        System.arraycopy(a, 0, b, 0, a.length);
        return b;
    }
}

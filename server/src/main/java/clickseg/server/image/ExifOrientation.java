package clickseg.server.image;

/**
 * The EXIF orientation tag (0x0112) and its application, with PIL's {@code ImageOps.exif_transpose}
 * meaning: 1 upright, 2 mirrored, 3 rotated 180, 4 flipped, 5 transposed, 6 rotated 90 clockwise to fix,
 * 7 transversed, 8 rotated 90 counter-clockwise to fix.
 */
final class ExifOrientation {
    static final int UPRIGHT = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation stored in a TIFF-structured EXIF block; UPRIGHT when absent or unreadable. */
    static int fromTiff(byte[] tiff) {
        if (tiff == null || tiff.length < 8) {
            return UPRIGHT;
        }
        boolean little;
        if (tiff[0] == 'I' && tiff[1] == 'I') {
            little = true;
        } else if (tiff[0] == 'M' && tiff[1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        long ifd = u32(tiff, 4, little);
        if (ifd < 8 || ifd + 2 > tiff.length) {
            return UPRIGHT;
        }
        int entries = u16(tiff, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > tiff.length) {
                return UPRIGHT;
            }
            if (u16(tiff, entry, little) == ORIENTATION_TAG) {
                int type = u16(tiff, entry + 2, little);
                int value = type == 3 ? u16(tiff, entry + 8, little) : type == 4 ? (int) u32(tiff, entry + 8, little) : 0;
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    /** Orientation from a PNG eXIf chunk, if any. */
    static int fromPng(byte[] png) {
        int p = 8;
        while (p + 12 <= png.length) {
            long length = u32(png, p, false);
            if (length < 0 || p + 12 + length > png.length) {
                return UPRIGHT;
            }
            if (png[p + 4] == 'e' && png[p + 5] == 'X' && png[p + 6] == 'I' && png[p + 7] == 'f') {
                return fromTiff(java.util.Arrays.copyOfRange(png, p + 8, p + 8 + (int) length));
            }
            if (png[p + 4] == 'I' && png[p + 5] == 'D' && png[p + 6] == 'A' && png[p + 7] == 'T') {
                return UPRIGHT; // eXIf must precede the image data
            }
            p += 12 + (int) length;
        }
        return UPRIGHT;
    }

    /** Orientation from a WebP EXIF chunk, if any (some writers keep the "Exif\0\0" prefix). */
    static int fromWebp(byte[] webp) {
        int p = 12;
        while (p + 8 <= webp.length) {
            long size = u32(webp, p + 4, true);
            if (size < 0 || p + 8 + size > webp.length) {
                return UPRIGHT;
            }
            if (webp[p] == 'E' && webp[p + 1] == 'X' && webp[p + 2] == 'I' && webp[p + 3] == 'F') {
                int start = p + 8;
                int end = start + (int) size;
                if (size >= 6 && webp[start] == 'E' && webp[start + 1] == 'x' && webp[start + 2] == 'i' && webp[start + 3] == 'f') {
                    start += 6;
                }
                return fromTiff(java.util.Arrays.copyOfRange(webp, start, end));
            }
            p += 8 + (int) ((size + 1) & ~1L);
        }
        return UPRIGHT;
    }

    /** Returns the upright image; {@code rgb} is (height, width, 3). */
    static DecodedImage apply(int orientation, byte[] rgb, int width, int height) {
        if (orientation == UPRIGHT) {
            return new DecodedImage(rgb, width, height);
        }
        boolean swaps = orientation >= 5;
        int outW = swaps ? height : width;
        int outH = swaps ? width : height;
        byte[] out = new byte[rgb.length]; // (outH, outW, 3)
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - x; sy = y; }
                    case 3 -> { sx = width - 1 - x; sy = height - 1 - y; }
                    case 4 -> { sx = x; sy = height - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = height - 1 - x; }
                    case 7 -> { sx = width - 1 - y; sy = height - 1 - x; }
                    default -> { sx = width - 1 - y; sy = x; } // 8
                }
                int src = (sy * width + sx) * 3;
                int dst = (y * outW + x) * 3;
                out[dst] = rgb[src];
                out[dst + 1] = rgb[src + 1];
                out[dst + 2] = rgb[src + 2];
            }
        }
        return new DecodedImage(out, outW, outH);
    }

    private static int u16(byte[] b, int p, boolean little) {
        return little ? (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 : (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p, boolean little) {
        long v = little
                ? (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
                : (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
        return v;
    }
}

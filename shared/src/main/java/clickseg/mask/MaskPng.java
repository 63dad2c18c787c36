package clickseg.mask;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG encoding of masks, pure Java (java.util.zip's Deflater and CRC32, both provided by TeaVM):
 * a binary mask as 8-bit greyscale (0 / 255), a cut-out as RGBA with the mask as alpha, and a label map
 * as 8-bit indexed colour with a palette.
 */
public final class MaskPng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MaskPng() {
    }

    /** Greyscale PNG: 255 inside, 0 outside. */
    public static byte[] encode(BinaryMask mask) {
        int width = mask.width();
        int height = mask.height();
        byte[] raw = new byte[height * (width + 1)]; // filter byte 0 (None) per row
        byte[] pixels = mask.pixels();
        for (int y = 0; y < height; y++) {
            int o = y * (width + 1) + 1;
            for (int x = 0; x < width; x++) {
                raw[o + x] = (byte) (pixels[y * width + x] != 0 ? 255 : 0);
            }
        }
        return png(width, height, 0, raw);
    }

    /**
     * RGBA cut-out: the image's pixels where the mask is set, transparent elsewhere.
     *
     * @param argb (height, width) packed 0xAARRGGBB pixels of the original image
     */
    public static byte[] encodeCutout(BinaryMask mask, int[] argb) {
        int width = mask.width();
        int height = mask.height();
        if (argb.length != width * height) {
            throw new IllegalArgumentException("image has " + argb.length + " pixels, mask " + width * height);
        }
        byte[] raw = new byte[height * (4 * width + 1)];
        byte[] pixels = mask.pixels();
        for (int y = 0; y < height; y++) {
            int o = y * (4 * width + 1) + 1;
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (pixels[i] != 0) {
                    int p = argb[i];
                    raw[o + 4 * x] = (byte) (p >> 16);
                    raw[o + 4 * x + 1] = (byte) (p >> 8);
                    raw[o + 4 * x + 2] = (byte) p;
                    raw[o + 4 * x + 3] = (byte) (p >>> 24);
                }
            }
        }
        return png(width, height, 6, raw);
    }

    /**
     * Indexed-colour PNG (colour type 3, 8 bits): each pixel is an index into the palette, e.g. a label map
     * where 0 is the background and n the n-th object.
     *
     * @param indices (height, width) palette indices, each below palette.length
     * @param paletteRgb 1..256 colours 0xRRGGBB
     */
    public static byte[] encodeIndexed(int width, int height, byte[] indices, int[] paletteRgb) {
        if (indices.length != width * height) {
            throw new IllegalArgumentException("indices: " + indices.length + " for " + width + "x" + height);
        }
        if (paletteRgb.length < 1 || paletteRgb.length > 256) {
            throw new IllegalArgumentException("palette: 1 to 256 colours, got " + paletteRgb.length);
        }
        byte[] raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++) {
            int o = y * (width + 1) + 1;
            for (int x = 0; x < width; x++) {
                int index = indices[y * width + x] & 0xFF;
                if (index >= paletteRgb.length) {
                    throw new IllegalArgumentException("index " + index + " at (" + x + ", " + y
                            + ") is past the palette's " + paletteRgb.length + " colours");
                }
                raw[o + x] = (byte) index;
            }
        }
        byte[] plte = new byte[3 * paletteRgb.length];
        for (int i = 0; i < paletteRgb.length; i++) {
            plte[3 * i] = (byte) (paletteRgb[i] >> 16);
            plte[3 * i + 1] = (byte) (paletteRgb[i] >> 8);
            plte[3 * i + 2] = (byte) paletteRgb[i];
        }
        return png(width, height, 3, raw, plte);
    }

    private static byte[] png(int width, int height, int colorType, byte[] raw) {
        return png(width, height, colorType, raw, null);
    }

    private static byte[] png(int width, int height, int colorType, byte[] raw, byte[] palette) {
        Deflater deflater = new Deflater(6);
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[Math.max(64, raw.length / 4)];
        byte[] compressed = new byte[0];
        int total = 0;
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            if (total + n > compressed.length) {
                compressed = java.util.Arrays.copyOf(compressed, Math.max(compressed.length * 2, total + n));
            }
            System.arraycopy(buffer, 0, compressed, total, n);
            total += n;
        }
        deflater.end();

        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = (byte) colorType;
        // compression 0, filter 0, interlace 0
        int paletteChunk = palette == null ? 0 : 12 + palette.length;
        byte[] out = new byte[SIGNATURE.length + 12 + 13 + paletteChunk + 12 + total + 12];
        System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
        int p = SIGNATURE.length;
        p = chunk(out, p, "IHDR", header, 13);
        if (palette != null) {
            p = chunk(out, p, "PLTE", palette, palette.length);
        }
        p = chunk(out, p, "IDAT", compressed, total);
        chunk(out, p, "IEND", new byte[0], 0);
        return out;
    }

    private static int chunk(byte[] out, int p, String type, byte[] data, int length) {
        putInt(out, p, length);
        for (int i = 0; i < 4; i++) {
            out[p + 4 + i] = (byte) type.charAt(i);
        }
        System.arraycopy(data, 0, out, p + 8, length);
        CRC32 crc = new CRC32();
        crc.update(out, p + 4, 4 + length);
        putInt(out, p + 8 + length, (int) crc.getValue());
        return p + 12 + length;
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}

package clickseg.server.image;

import java.awt.image.BufferedImage;

/** Tiny files that declare huge images: the decompression bombs of the hostile-traffic tests. */
public final class DecompressionBombs {
    private DecompressionBombs() {
    }

    /** A 7071 x 7071 1-bit black PNG (~6 KB; 50 million pixels, under the default pixel limit). */
    public static byte[] png7071() {
        return blackPng(7071, 7071);
    }

    /** A 1-bit black PNG of the given size. */
    public static byte[] blackPng(int width, int height) {
        return TestImages.encode(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY), "png");
    }
}

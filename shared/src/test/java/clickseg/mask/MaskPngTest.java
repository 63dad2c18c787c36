package clickseg.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MaskPngTest {
    @Test
    void a_binary_mask_png_decodes_to_the_same_pixels() throws Exception {
        BinaryMask mask = new BinaryMask(37, 21);
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 37; x++) {
                mask.set(x, y, (x - 18) * (x - 18) + (y - 10) * (y - 10) < 64);
            }
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(MaskPng.encode(mask)));
        assertEquals(37, image.getWidth());
        assertEquals(21, image.getHeight());
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 37; x++) {
                assertEquals(mask.get(x, y) ? 255 : 0, image.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void a_cutout_keeps_the_image_inside_and_is_transparent_outside() throws Exception {
        BinaryMask mask = new BinaryMask(3, 1, new byte[] {1, 0, 1});
        int[] argb = {0xff102030, 0xff405060, 0xff708090};
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(MaskPng.encodeCutout(mask, argb)));
        assertEquals(0xff102030, image.getRGB(0, 0));
        assertEquals(0, image.getRGB(1, 0) >>> 24);
        assertEquals(0xff708090, image.getRGB(2, 0));
    }
}

package clickseg.server.image;

import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(50_000_000);

    @Test
    void a_grayscale_png_is_replicated_into_three_equal_channels() throws Exception {
        BufferedImage gray = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(2, 1, 0, 77);
        DecodedImage image = decoder.decode(TestImages.encode(gray, "png"));
        assertArrayEquals(new int[]{77, 77, 77}, pixel(image, 2, 1));
    }

    @Test
    void a_palette_png_is_looked_up_in_its_palette() throws Exception {
        BufferedImage indexed = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(1, 2, 0xFF3366);
        int expected = indexed.getRGB(1, 2); // the nearest palette entry
        DecodedImage image = decoder.decode(TestImages.encode(indexed, "png"));
        assertArrayEquals(new int[]{expected >> 16 & 255, expected >> 8 & 255, expected & 255}, pixel(image, 1, 2));
    }

    @Test
    void a_16_bit_png_keeps_the_high_byte_of_each_sample() throws Exception {
        BufferedImage deep = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 0xC8AB);
        DecodedImage image = decoder.decode(TestImages.encode(deep, "png"));
        assertArrayEquals(new int[]{0xC8, 0xC8, 0xC8}, pixel(image, 0, 0));
    }

    @Test
    void alpha_is_dropped_without_compositing_like_pil_convert_rgb() throws Exception {
        BufferedImage argb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 1, 0x10FF8040); // almost transparent orange
        DecodedImage image = decoder.decode(TestImages.encode(argb, "png"));
        assertArrayEquals(new int[]{0xFF, 0x80, 0x40}, pixel(image, 1, 1));
    }

    @Test
    void gif_and_bmp_decode_to_the_same_pixels_as_png() throws Exception {
        BufferedImage source = TestImages.gradient(16, 9);
        DecodedImage png = decoder.decode(TestImages.encode(source, "png"));
        DecodedImage bmp = decoder.decode(TestImages.encode(source, "bmp"));
        assertArrayEquals(png.rgb(), bmp.rgb());
        DecodedImage gif = decoder.decode(TestImages.encode(source, "gif"));
        assertEquals(16, gif.width());
        assertEquals(9, gif.height());
    }

    @Test
    void a_lossless_webp_decodes_to_its_exact_pixels() throws Exception {
        // pattern6x4-lossless.webp: cwebp -lossless -exact of R = 40x, G = 60y, B = 20(x + y) + 5.
        byte[] webp;
        try (InputStream in = getClass().getResourceAsStream("/pattern6x4-lossless.webp")) {
            webp = in.readAllBytes();
        }
        DecodedImage image = decoder.decode(webp);
        assertEquals(6, image.width());
        assertEquals(4, image.height());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertArrayEquals(new int[]{40 * x, 60 * y, 20 * (x + y) + 5}, pixel(image, x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void an_embedded_icc_profile_is_not_applied_to_jpeg_samples() throws Exception {
        byte[] plain = TestImages.encode(TestImages.gradient(32, 16), "jpg");
        byte[] tagged = TestImages.withIccProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
        DecodedImage a = decoder.decode(plain);
        DecodedImage b = decoder.decode(tagged);
        assertArrayEquals(a.rgb(), b.rgb(), "a linear-RGB profile must not brighten the samples");
    }

    @Test
    void an_adobe_cmyk_jpeg_is_converted_with_the_naive_formula_pil_uses() throws Exception {
        int c = 200;
        int m = 50;
        int y = 10;
        int k = 30;
        WritableRaster stored = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int yy = 0; yy < 16; yy++) {
            for (int xx = 0; xx < 16; xx++) {
                stored.setPixel(xx, yy, new int[]{255 - c, 255 - m, 255 - y, 255 - k}); // Adobe stores 255 - ink
            }
        }
        DecodedImage image = decoder.decode(TestImages.adobeCmykJpeg(stored));
        int[] expected = {(255 - c) * (255 - k) / 255, (255 - m) * (255 - k) / 255, (255 - y) * (255 - k) / 255};
        int[] actual = pixel(image, 8, 8);
        for (int i = 0; i < 3; i++) {
            // JPEG quantisation of a flat patch moves a sample by a unit or two.
            assertTrue(Math.abs(expected[i] - actual[i]) <= 2, Arrays.toString(expected) + " vs " + Arrays.toString(actual));
        }
    }

    @Test
    void exif_orientation_6_turns_a_landscape_jpeg_upright_into_portrait() throws Exception {
        BufferedImage landscape = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < 8; yy++) {
            for (int xx = 0; xx < 8; xx++) {
                landscape.setRGB(xx, yy, 0xFFFFFF); // white block in the stored top-left corner
            }
        }
        DecodedImage image = decoder.decode(TestImages.withExifOrientation(TestImages.encode(landscape, "jpg"), 6));
        assertEquals(24, image.width());
        assertEquals(40, image.height());
        // Rotating 90 degrees clockwise carries the top-left corner to the top-right.
        assertTrue(pixel(image, 20, 3)[0] > 200, "top-right is white");
        assertTrue(pixel(image, 3, 3)[0] < 50, "top-left is black");
    }

    @Test
    void every_exif_orientation_maps_the_stored_corner_where_pil_exif_transpose_puts_it() {
        byte[] rgb = new byte[3 * 2 * 3]; // (2, 3, 3): stored image 3 wide, 2 high, marked pixel at (0, 0)
        rgb[0] = 1;
        int[][] expectedCorner = { // orientation -> (x, y) of the marked pixel afterwards
                null, {0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
        for (int orientation = 1; orientation <= 8; orientation++) {
            DecodedImage upright = ExifOrientation.apply(orientation, rgb, 3, 2);
            int x = expectedCorner[orientation][0];
            int y = expectedCorner[orientation][1];
            assertEquals(1, upright.rgb()[(y * upright.width() + x) * 3], "orientation " + orientation);
        }
    }

    @Test
    void bytes_that_are_not_an_image_are_refused_as_unsupported() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode("%PDF-1.7 not an image".getBytes()));
        assertEquals(ImageRejectedException.Reason.NOT_AN_IMAGE, e.reason());
    }

    @Test
    void truncated_jpeg_png_gif_bmp_and_webp_are_refused_as_corrupt() throws Exception {
        BufferedImage source = TestImages.gradient(64, 48);
        byte[] webp;
        try (InputStream in = getClass().getResourceAsStream("/pattern6x4-lossless.webp")) {
            webp = in.readAllBytes();
        }
        for (byte[] whole : new byte[][]{TestImages.encode(source, "jpg"), TestImages.encode(source, "png"),
                TestImages.encode(source, "gif"), TestImages.encode(source, "bmp"), webp}) {
            byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
            ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut),
                    ImageFormat.sniff(whole) + " cut to two thirds");
            assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason(), e.getMessage());
        }
    }

    @Test
    void a_header_declaring_too_many_pixels_is_refused_before_any_pixel_is_read() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(TestImages.pngHeaderOnly(100_000, 100_000)));
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    private static int[] pixel(DecodedImage image, int x, int y) {
        int o = (y * image.width() + x) * 3;
        return new int[]{image.rgb()[o] & 255, image.rgb()[o + 1] & 255, image.rgb()[o + 2] & 255};
    }
}

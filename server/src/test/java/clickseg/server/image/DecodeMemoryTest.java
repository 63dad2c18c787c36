package clickseg.server.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder reserves the heap a decode needs before it decodes, and reads huge images subsampled. */
class DecodeMemoryTest {
    private static final int SIDE = 1024; // SAM's encoder input side

    @Test
    void a_7071_pixel_square_png_bomb_is_read_at_half_resolution_and_keeps_its_full_size() throws Exception {
        byte[] bomb = DecompressionBombs.png7071();
        assertTrue(bomb.length < 16_000, "the bomb is small: " + bomb.length + " bytes");
        MemoryBudget budget = new MemoryBudget(256L << 20, Duration.ZERO);
        DecodedImage image = new ImageDecoder(50_000_000, budget).decode(bomb, SIDE, 0, decoded -> decoded);
        assertEquals(3536, image.width());
        assertEquals(3536, image.height());
        assertEquals(7071, image.originalWidth());
        assertEquals(7071, image.originalHeight());
        assertEquals(256L << 20, budget.availableBytes(), "the reservation is given back");
    }

    @Test
    void a_decode_larger_than_the_whole_budget_is_refused_before_a_pixel_is_decoded() {
        byte[] png = DecompressionBombs.blackPng(3000, 3000); // 9 Mpx: ~63 MB to decode
        ImageDecoder decoder = new ImageDecoder(50_000_000, new MemoryBudget(32L << 20, Duration.ZERO));
        MemoryBudget.TooLargeException e = assertThrows(MemoryBudget.TooLargeException.class,
                () -> decoder.decode(png, SIDE, 0, decoded -> decoded));
        assertTrue(e.getMessage().contains("3000x3000"), e.getMessage());
    }

    @Test
    void a_decode_waits_for_room_and_is_refused_as_busy_when_none_frees_up() throws Exception {
        MemoryBudget budget = new MemoryBudget(64L << 20, Duration.ofMillis(200));
        ImageDecoder decoder = new ImageDecoder(50_000_000, budget);
        byte[] png = DecompressionBombs.blackPng(2000, 2000); // ~28 MB
        try (MemoryBudget.Reservation held = budget.reserve(50L << 20, "another request")) {
            assertThrows(MemoryBudget.BusyException.class, () -> decoder.decode(png, SIDE, 0, decoded -> decoded));
        }
        assertEquals(2000, decoder.decode(png, SIDE, 0, decoded -> decoded).width(), "fits once the room is back");
    }

    @Test
    void images_up_to_the_full_decode_size_are_read_at_full_resolution() throws Exception {
        byte[] png = DecompressionBombs.blackPng(4096, 4096);
        DecodedImage image = new ImageDecoder(50_000_000).decode(png, SIDE, 0, decoded -> decoded);
        assertEquals(4096, image.width());
        assertTrue(!image.subsampled());
    }

    @Test
    void a_huge_jpeg_is_read_subsampled_too_and_looks_like_the_full_one() throws Exception {
        BufferedImage big = TestImages.gradient(6000, 4000); // 24 Mpx
        byte[] jpeg = TestImages.encode(big, "jpg");
        ImageDecoder decoder = new ImageDecoder(50_000_000);
        DecodedImage coarse = decoder.decode(jpeg, SIDE, 0, decoded -> decoded);
        DecodedImage full = decoder.decode(jpeg);
        assertEquals(3000, coarse.width());
        assertEquals(2000, coarse.height());
        assertEquals(6000, coarse.originalWidth());
        // every second pixel of every second row: the same samples as the full decode up to JPEG's rounding
        for (int[] p : new int[][] {{0, 0}, {1000, 700}, {2999, 1999}}) {
            for (int c = 0; c < 3; c++) {
                int a = coarse.rgb()[(p[1] * 3000 + p[0]) * 3 + c] & 255;
                int b = full.rgb()[(2 * p[1] * 6000 + 2 * p[0]) * 3 + c] & 255;
                assertTrue(Math.abs(a - b) <= 4, "pixel " + p[0] + "," + p[1] + " channel " + c + ": " + a + " vs " + b);
            }
        }
    }

    @Test
    void the_preprocessed_input_of_a_subsampled_read_has_the_full_image_s_geometry() throws Exception {
        Preprocessor preprocessor = new Preprocessor(new clickseg.server.model.Preprocessing(SIDE,
                new float[] {123.675f, 116.28f, 103.53f}, new float[] {58.395f, 57.12f, 57.375f}));
        EncoderInput input = new ImageDecoder(50_000_000).decode(DecompressionBombs.blackPng(7071, 5000), SIDE,
                preprocessor.workingBytes(), preprocessor::prepare);
        assertEquals(7071, input.originalWidth());
        assertEquals(5000, input.originalHeight());
        assertEquals(1024, input.resizedWidth());
        assertEquals(724, input.resizedHeight()); // int(5000 * 1024 / 7071 + 0.5)
    }
}

package clickseg.server.image;

import clickseg.server.model.ModelManifest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PreprocessorTest {
    private final Preprocessor preprocessor = new Preprocessor(ModelManifest.loadDefault().preprocessing());

    @Test
    void each_side_is_scaled_to_the_longest_side_and_rounded_like_sam() {
        assertArrayEquals(new int[]{1024, 683}, Preprocessor.resizedSize(481, 321, 1024)); // 683.37
        assertArrayEquals(new int[]{683, 1024}, Preprocessor.resizedSize(321, 481, 1024));
        assertArrayEquals(new int[]{1024, 768}, Preprocessor.resizedSize(4032, 3024, 1024));
        // SAM would round 0.34 down to an empty side and fail; a side never drops below one pixel here.
        assertArrayEquals(new int[]{1024, 1}, Preprocessor.resizedSize(3000, 1, 1024));
    }

    @Test
    void pixels_are_normalised_per_channel_and_the_rest_is_zero_padding() {
        int w = 512;
        int h = 256; // resized to 1024 x 512
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) 200;
            rgb[3 * i + 1] = (byte) 100;
            rgb[3 * i + 2] = (byte) 0;
        }
        EncoderInput input = preprocessor.prepare(new DecodedImage(rgb, w, h));
        assertEquals(1024, input.resizedWidth());
        assertEquals(512, input.resizedHeight());
        int plane = 1024 * 1024;
        float[] chw = input.chw();
        assertEquals((200 - 123.675f) / 58.395f, chw[0 * plane + 100 * 1024 + 700], 0f);
        assertEquals((100 - 116.28f) / 57.12f, chw[1 * plane + 511 * 1024 + 1023], 0f);
        assertEquals((0 - 103.53f) / 57.375f, chw[2 * plane], 0f);
        assertEquals(0f, chw[0 * plane + 512 * 1024 + 5], 0f, "first padded row");
        assertEquals(0f, chw[2 * plane + 1023 * 1024 + 1023], 0f, "last padded pixel");
    }
}

package clickseg.server.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The oracle is PIL itself: src/test/resources/pil/*.rgb were written by Pillow 9.4 (Debian python3-pil) with
 * <pre>
 *   y, x = np.mgrid[0:61, 0:97]
 *   src = np.stack([(x*37 + y*91 + c*53 + (x*y) % 17 * 7) % 256 for c in range(3)], -1).astype(np.uint8)
 *   Image.fromarray(src, "RGB").resize((w, h), Image.BILINEAR)
 * </pre>
 * The pattern is high-frequency on purpose: any deviation in filter support, rounding or pass order shows.
 */
class AntialiasedBilinearResizeTest {

    @ParameterizedTest(name = "97x61 -> {0}x{1}")
    @CsvSource({"40, 25", "131, 83", "97, 30", "200, 61"})
    void matches_pil_bilinear_resize_byte_for_byte(int width, int height) throws Exception {
        int srcW = 97;
        int srcH = 61;
        byte[] src = new byte[srcW * srcH * 3]; // (61, 97, 3)
        for (int y = 0; y < srcH; y++) {
            for (int x = 0; x < srcW; x++) {
                for (int c = 0; c < 3; c++) {
                    src[(y * srcW + x) * 3 + c] = (byte) ((x * 37 + y * 91 + c * 53 + (x * y) % 17 * 7) % 256);
                }
            }
        }
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/pil/pattern97x61-to-" + width + "x" + height + ".rgb")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, AntialiasedBilinearResize.resize(src, srcW, srcH, width, height));
    }
}

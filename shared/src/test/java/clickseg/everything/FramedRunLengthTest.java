package clickseg.everything;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FramedRunLengthTest {
    @Test
    void a_window_placed_in_a_frame_encodes_like_the_whole_frame_and_decodes_back() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int frameW = 1 + random.nextInt(40);
            int frameH = 1 + random.nextInt(40);
            int w = 1 + random.nextInt(frameW);
            int h = 1 + random.nextInt(frameH);
            int fx = random.nextInt(frameW - w + 1);
            int fy = random.nextInt(frameH - h + 1);
            int stride = w + random.nextInt(3);
            int offset = random.nextInt(3);
            byte[] window = new byte[offset + h * stride];
            BinaryMask frame = new BinaryMask(frameW, frameH);
            double density = random.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean inside = random.nextDouble() < density;
                    window[offset + y * stride + x] = (byte) (inside ? 1 : 0);
                    frame.set(fx + x, fy + y, inside);
                }
            }
            int[] counts = FramedRunLength.encode(window, offset, stride, w, h, fx, fy, frameW, frameH);
            assertArrayEquals(RunLengthEncoding.counts(frame), counts, "trial " + trial);

            // any window of the frame decodes to the frame's pixels there
            int dw = 1 + random.nextInt(frameW);
            int dh = 1 + random.nextInt(frameH);
            int dx = random.nextInt(frameW - dw + 1);
            int dy = random.nextInt(frameH - dh + 1);
            byte[] out = new byte[dw * dh];
            FramedRunLength.decodeWindow(counts, frameH, dx, dy, dw, dh, out);
            byte[] expected = new byte[dw * dh];
            for (int y = 0; y < dh; y++) {
                for (int x = 0; x < dw; x++) {
                    expected[y * dw + x] = (byte) (frame.get(dx + x, dy + y) ? 1 : 0);
                }
            }
            assertArrayEquals(expected, out, "trial " + trial);
        }
    }
}

package clickseg.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunLengthEncodingTest {
    @Test
    void runs_are_counted_column_major_starting_with_zeros() {
        // 3 wide, 2 high:   row 0: 0 1 1
        //                   row 1: 0 1 0
        // column-major: 0 0 | 1 1 | 1 0  →  runs 2 zeros, 3 ones, 1 zero
        BinaryMask mask = new BinaryMask(3, 2, new byte[] {0, 1, 1, 0, 1, 0});
        assertArrayEquals(new int[] {2, 3, 1}, RunLengthEncoding.counts(mask));
        assertEquals("231", RunLengthEncoding.encode(mask));
    }

    @Test
    void the_compressed_string_matches_pycocotools_including_deltas_and_continuations() {
        // counts [0, 100, 40, 5], worked by hand through pycocotools' rleToString:
        //   0            → '0'
        //   100 = 3·32+4 → (4 | 0x20)+48 = 'T', then 3+48 = '3'
        //   40  = 1·32+8 → (8 | 0x20)+48 = 'X', then '1'
        //   5 − 100 = −95: low 5 bits 1, more → 'Q'; then −3: bits 29 with the sign bit 0x10 set and x = −1 → 29+48 = 'M'
        assertEquals("0T3X1QM", RunLengthEncoding.encode(new int[] {0, 100, 40, 5}));
        assertArrayEquals(new int[] {0, 100, 40, 5}, RunLengthEncoding.decodeCounts("0T3X1QM"));
        // the mask: 29×5, the first 20 columns set, then 8 clear, then the last column set
        BinaryMask mask = RunLengthEncoding.decode("0T3X1QM", 29, 5);
        assertEquals(105, mask.area());
        assertEquals(true, mask.get(19, 4));
        assertEquals(false, mask.get(20, 0));
        assertEquals(true, mask.get(28, 2));
        assertEquals("0T3X1QM", RunLengthEncoding.encode(mask));
    }

    @Test
    void random_masks_survive_a_round_trip() {
        Random random = new Random(3);
        for (int i = 0; i < 50; i++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            BinaryMask mask = new BinaryMask(w, h);
            int blobs = random.nextInt(4);
            for (int b = 0; b < blobs; b++) {
                int x0 = random.nextInt(w);
                int y0 = random.nextInt(h);
                int x1 = x0 + random.nextInt(w - x0);
                int y1 = y0 + random.nextInt(h - y0);
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        mask.set(x, y, true);
                    }
                }
            }
            BinaryMask back = RunLengthEncoding.decode(RunLengthEncoding.encode(mask), w, h);
            assertArrayEquals(mask.pixels(), back.pixels());
        }
    }

    @Test
    void counts_that_do_not_cover_the_mask_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> RunLengthEncoding.decode(new int[] {2, 3}, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> RunLengthEncoding.decodeCounts("T"));
    }

    @Test
    void area_and_bounding_box_describe_the_inside_pixels() {
        BinaryMask mask = new BinaryMask(10, 8);
        mask.set(2, 3, true);
        mask.set(6, 5, true);
        mask.set(4, 4, true);
        assertEquals(3, mask.area());
        assertArrayEquals(new int[] {2, 3, 5, 3}, mask.boundingBox());
        assertArrayEquals(new int[] {0, 0, 0, 0}, new BinaryMask(4, 4).boundingBox());
    }
}

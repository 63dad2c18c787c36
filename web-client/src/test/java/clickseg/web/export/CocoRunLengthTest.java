package clickseg.web.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clickseg.web.render.MaskRaster;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoRunLengthTest {
    private static MaskRaster mask(int width, int height, int[][] insideXy) {
        MaskRaster m = new MaskRaster(width, height);
        for (int[] p : insideXy) {
            m.inside[p[1] * width + p[0]] = 1;
        }
        m.recount();
        return m;
    }

    @Test
    void runs_are_counted_column_by_column_starting_with_outside() {
        // 3 wide, 2 high, the middle column inside: columns read top to bottom are 00 11 00.
        MaskRaster m = mask(3, 2, new int[][] {{1, 0}, {1, 1}});
        assertArrayEquals(new int[] {2, 2, 2}, CocoRunLength.counts(m));
    }

    @Test
    void a_mask_starting_inside_begins_with_an_empty_outside_run() {
        MaskRaster m = mask(1, 3, new int[][] {{0, 0}});
        assertArrayEquals(new int[] {0, 1, 2}, CocoRunLength.counts(m));
    }

    @Test
    void compressed_counts_match_pycocotools_including_negative_deltas() {
        // pycocotools rleToString: 1 -> '1', 10 -> ':', 1 -> '1', then 1 - 10 = -9 -> 'G'.
        assertEquals("1:1G", CocoRunLength.compress(new int[] {1, 10, 1, 1}));
        // 100 needs two 5-bit groups: 100 = 0b11_00100 -> (4 | 0x20) + 48 = 'T', then 3 + 48 = '3'.
        assertEquals("T3", CocoRunLength.compress(new int[] {100}));
    }

    @Test
    void decompressing_returns_the_counts_of_a_random_mask() {
        Random random = new Random(7);
        MaskRaster m = new MaskRaster(61, 47);
        for (int i = 0; i < m.inside.length; i++) {
            m.inside[i] = (byte) (random.nextInt(5) == 0 ? 1 : 0);
        }
        m.recount();
        int[] counts = CocoRunLength.counts(m);
        assertArrayEquals(counts, CocoRunLength.decompress(CocoRunLength.compress(counts)));
    }

    @Test
    void the_annotation_names_size_as_height_then_width_and_counts_area_and_bbox() {
        // Columns top to bottom: 000 010 011 000 -> runs 4,1,2,2,3 -> deltas from the 4th: 1, 1.
        MaskRaster m = mask(4, 3, new int[][] {{1, 1}, {2, 1}, {2, 2}});
        assertEquals("{\"image_id\":\"abc\",\"segmentation\":{\"size\":[3,4],\"counts\":\"41211\"},"
                + "\"area\":3,\"bbox\":[1,1,2,2]}", CocoRunLength.annotationJson(m, "abc"));
    }
}

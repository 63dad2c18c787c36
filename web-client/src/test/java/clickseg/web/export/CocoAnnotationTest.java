package clickseg.web.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clickseg.mask.BinaryMask;
import org.junit.jupiter.api.Test;

class CocoAnnotationTest {
    @Test
    void the_annotation_carries_size_as_height_width_the_compressed_counts_area_and_box() {
        // 3 wide, 2 high; column-major runs: 2 outside, 3 inside, 1 outside -> counts "231" (pycocotools)
        BinaryMask mask = new BinaryMask(3, 2, new byte[] {0, 1, 1, 0, 1, 0});
        assertEquals("{\"image_id\":\"a\\\"b\",\"segmentation\":{\"size\":[2,3],\"counts\":\"231\"},"
                + "\"area\":3,\"bbox\":[1,0,2,2]}", CocoAnnotation.json(mask, "a\"b"));
    }
}

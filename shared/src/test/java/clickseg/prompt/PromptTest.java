package clickseg.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromptTest {
    @Test
    void the_longest_side_becomes_1024_and_the_other_rounds_like_sam() {
        CoordinateTransform landscape = new CoordinateTransform(640, 480);
        assertEquals(1024, landscape.resizedWidth());
        assertEquals(768, landscape.resizedHeight());
        CoordinateTransform portrait = new CoordinateTransform(333, 500); // 333·1024/500 = 681.98
        assertEquals(682, portrait.resizedWidth());
        assertEquals(1024, portrait.resizedHeight());
        CoordinateTransform tiny = new CoordinateTransform(3, 2);
        assertEquals(1024, tiny.resizedWidth());
        assertEquals(683, tiny.resizedHeight()); // 682.67 rounds up
    }

    @Test
    void clicks_are_scaled_to_the_model_frame_and_padded_without_a_box() {
        Prompt p = Prompt.point(320, 240, Prompt.FOREGROUND).withPoint(0, 479, Prompt.BACKGROUND);
        float[] coords = new float[2 * p.modelPointCount()];
        int[] labels = new int[p.modelPointCount()];
        p.toModelPoints(new CoordinateTransform(640, 480), coords, labels);
        assertArrayEquals(new float[] {512f, 384f, 0f, 766.4f, 0f, 0f}, coords, 1e-4f);
        assertArrayEquals(new int[] {1, 0, -1}, labels);
    }

    @Test
    void a_box_becomes_two_corner_points_in_order_and_replaces_the_padding() {
        Prompt p = Prompt.box(300, 200, 100, 50).withPoint(150, 100, Prompt.FOREGROUND);
        assertEquals(3, p.modelPointCount());
        float[] coords = new float[6];
        int[] labels = new int[3];
        p.toModelPoints(new CoordinateTransform(1024, 1024), coords, labels);
        assertArrayEquals(new float[] {150, 100, 100, 50, 300, 200}, coords);
        assertArrayEquals(new int[] {1, 2, 3}, labels);
    }

    @Test
    void bad_prompts_are_refused_with_a_reason() {
        assertThrows(IllegalArgumentException.class, () -> Prompt.point(1, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> Prompt.point(Float.NaN, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new CoordinateTransform(0, 10));
    }

    @Test
    void the_one_inside_the_image_check_names_the_first_field_outside() {
        Prompt inside = Prompt.point(0, 0, Prompt.FOREGROUND).withPoint(64, 48, Prompt.BACKGROUND).withBox(0, 0, 64, 48);
        org.junit.jupiter.api.Assertions.assertNull(inside.outsideOf(64, 48), "edges are inside (continuous pixels)");
        org.junit.jupiter.api.Assertions.assertEquals(
                "points[1]: (64.5, 10.0) is not inside the 64 × 48 image (x in 0..64, y in 0..48)",
                Prompt.point(1, 1, Prompt.FOREGROUND).withPoint(64.5f, 10, Prompt.FOREGROUND).outsideOf(64, 48));
        org.junit.jupiter.api.Assertions.assertTrue(Prompt.box(0, 0, 10, 49).outsideOf(64, 48).startsWith("box: "));
    }
}

package clickseg.web.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostPromptTest {
    private static final double[] NO_POINTS = {};

    @Test
    void points_labels_and_a_box_inside_the_image_become_the_prompt() {
        PromptState prompt = HostPrompt.of(new double[] {10, 20, 639.5, 480}, new double[] {1, 0},
                new double[] {5, 6, 300, 200}, 640, 480);
        assertEquals(2, prompt.pointCount());
        assertArrayEquals(new float[] {10, 20, 639.5f, 480}, prompt.points());
        assertArrayEquals(new int[] {1, 0}, prompt.labels());
        assertArrayEquals(new float[] {5, 6, 300, 200}, prompt.box());
    }

    @Test
    void a_box_alone_is_a_prompt_and_nothing_at_all_is_refused() {
        assertTrue(HostPrompt.of(NO_POINTS, NO_POINTS, new double[] {0, 0, 10, 10}, 64, 64).hasBox());
        assertThrows(IllegalArgumentException.class, () -> HostPrompt.of(NO_POINTS, NO_POINTS, null, 64, 64));
    }

    @Test
    void each_kind_of_bad_prompt_is_refused_with_words_naming_it() {
        assertMessage("points[0]: (-1.0, 5.0) is not inside the 64 × 48 image",
                () -> HostPrompt.of(new double[] {-1, 5}, new double[] {1}, null, 64, 48));
        assertMessage("points[0]: (NaN, 5.0) is not inside", () -> HostPrompt.of(new double[] {Double.NaN, 5},
                new double[] {1}, null, 64, 48));
        assertMessage("label 0 is 2.0", () -> HostPrompt.of(new double[] {1, 1}, new double[] {2}, null, 64, 48));
        assertMessage("needs x1 > x0", () -> HostPrompt.of(NO_POINTS, NO_POINTS, new double[] {10, 0, 10, 5}, 64, 48));
        assertMessage("is not inside", () -> HostPrompt.of(NO_POINTS, NO_POINTS, new double[] {0, 0, 65, 5}, 64, 48));
        assertMessage("same length", () -> HostPrompt.of(new double[] {1, 1}, NO_POINTS, null, 64, 48));
        double[] many = new double[2 * (HostPrompt.MAX_POINTS + 1)];
        assertMessage("at most 64 points", () -> HostPrompt.of(many, new double[HostPrompt.MAX_POINTS + 1], null, 64, 48));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

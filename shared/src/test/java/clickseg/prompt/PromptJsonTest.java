package clickseg.prompt;

import clickseg.wire.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptJsonTest {
    @Test
    void a_prompt_survives_being_written_and_read_back() {
        Prompt prompt = Prompt.point(40.5f, 30, Prompt.FOREGROUND).withPoint(10, 10, Prompt.BACKGROUND)
                .withBox(5, 6, 300, 200);
        String text = PromptJson.write(prompt);
        assertEquals("{\"points\":[[40.5,30],[10,10]],\"labels\":[1,0],\"box\":[5,6,300,200]}", text);
        Prompt back = PromptJson.read(text);
        assertEquals(2, back.pointCount());
        assertEquals(40.5f, back.pointX(0));
        assertEquals(Prompt.BACKGROUND, back.pointLabel(1));
        assertArrayEquals(new float[] {5, 6, 300, 200}, back.box());
        assertTrue(PromptJson.read("{}").isEmpty(), "every field is optional here");
    }

    @Test
    void each_kind_of_bad_prompt_is_refused_naming_its_field() {
        assertRefused("points: must be an array", "{\"points\": {\"x\": 1}}");
        assertRefused("points[0]: must be an [x, y] pair, got an array of 3", "{\"points\": [[1, 2, 3]], \"labels\": [1]}");
        assertRefused("points[0][1]: must be a number, got the string \"2\"", "{\"points\": [[1, \"2\"]], \"labels\": [1]}");
        assertRefused("points[0][0]: must be a finite number", "{\"points\": [[1e400, 2]], \"labels\": [1]}");
        assertRefused("labels: missing", "{\"points\": [[1, 2]]}");
        assertRefused("labels: 2 labels for 1 points", "{\"points\": [[1, 2]], \"labels\": [1, 0]}");
        assertRefused("labels[0]: must be 1 (foreground) or 0 (background), got 7", "{\"points\": [[1, 2]], \"labels\": [7]}");
        assertRefused("labels[0]: must be a number, got true", "{\"points\": [[1, 2]], \"labels\": [true]}");
        assertRefused("box: must be [x0, y0, x1, y1]", "{\"box\": [1, 2, 3]}");
        assertRefused("box: [5.0, 0.0, 1.0, 4.0] must be top-left then bottom-right", "{\"box\": [5, 0, 1, 4]}");
        assertRefused("points: at most 64 points", "{\"points\": [" + "[1, 1],".repeat(64) + "[1, 1]]}");
        assertRefused("prompt: not JSON", "{\"points\": [[1, 2]");
        assertRefused("prompt: must be an object", "[1, 2]");
    }

    @Test
    void a_whole_prompt_from_a_host_must_also_be_inside_the_image_and_not_empty() {
        assertRefused("points[0]: (5000.0, 10.0) is not inside the 640 × 480 image",
                () -> PromptJson.readInside("{\"points\": [[5000, 10]], \"labels\": [1]}", 640, 480));
        assertRefused("points: give at least one point", () -> PromptJson.readInside("{}", 640, 480));
        assertRefused("box: [x0, y0, x1, y1] needs x1 > x0", () -> PromptJson.readInside("{\"box\": [10, 0, 10, 5]}", 64, 48));
        assertEquals(1, PromptJson.readInside("{\"points\": [[640, 480]], \"labels\": [0]}", 640, 480).pointCount());
    }

    @Test
    void hostile_json_is_refused_without_exhausting_the_stack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonValue.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        assertRefused("prompt: not JSON", "{\"points\": " + deep + "}");
        assertThrows(IllegalArgumentException.class, () -> JsonValue.parse("\"unterminated"));
        assertThrows(IllegalArgumentException.class, () -> JsonValue.parse("01"));
        assertThrows(IllegalArgumentException.class, () -> JsonValue.parse("{\"a\": 1} x"));
        assertEquals("é\n", JsonValue.parse("\"\\u00e9\\n\""));
    }

    private static void assertRefused(String start, String text) {
        assertRefused(start, () -> PromptJson.read(text));
    }

    private static void assertRefused(String start, org.junit.jupiter.api.function.Executable call) {
        PromptJson.BadPrompt e = assertThrows(PromptJson.BadPrompt.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}

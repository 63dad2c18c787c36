package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileNamesTest {
    private static ExportImage named(String name) {
        return new ExportImage(name, 1, 1, List.of());
    }

    @Test
    void stems_lose_folders_extensions_and_unsafe_characters_and_never_repeat() {
        List<String> stems = FileNames.stems(List.of(named("C:\\photos\\IMG_1.JPG"), named("../../etc/passwd"),
                named("img_1.png"), named(".hidden"), named("a:b*c?.jpg"), named("...")));
        assertEquals(List.of("IMG_1", "passwd", "img_1-2", "hidden", "a_b_c_", "image"), stems);
    }

    @Test
    void a_long_label_is_cut_to_a_hundred_characters() {
        assertEquals(100, FileNames.safe("x".repeat(300), "object").length());
    }
}

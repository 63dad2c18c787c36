package clickseg.bench.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPromptsTest {
    @TempDir
    Path folder;

    @Test
    void the_kinds_come_evenly_and_every_refinement_adds_one_click_to_the_prompt_before_it() throws IOException {
        List<BenchPrompt> prompts = BenchPrompts.draw(disc(), 42, 7);
        assertEquals("click", prompts.get(0).kind()); // never a refinement first: it would have no mask to refine
        assertEquals(List.of(9L, 9L, 9L, 9L), List.of("click", "multi", "refine", "box").stream()
                .map(kind -> prompts.subList(6, 42).stream().filter(p -> p.kind().equals(kind)).count()).toList());
        for (int i = 1; i < prompts.size(); i++) {
            BenchPrompt refine = prompts.get(i);
            if (!refine.kind().equals("refine")) {
                continue;
            }
            BenchPrompt before = prompts.get(i - 1);
            int n = before.labels().length;
            assertNotEquals("box", before.kind());
            assertEquals(n + 1, refine.labels().length);
            assertArrayEquals(before.points(), Arrays.copyOf(refine.points(), 2 * n));
            assertArrayEquals(before.labels(), Arrays.copyOf(refine.labels(), n));
        }
    }

    @Test
    void the_hover_path_stays_inside_the_object_in_small_steps() throws IOException {
        List<float[]> path = BenchPrompts.hoverPath(disc(), 60, 6f, 3);
        assertEquals(60, path.size());
        for (int i = 0; i < path.size(); i++) {
            float[] p = path.get(i);
            assertTrue(Math.hypot(p[0] - 300, p[1] - 200) < 120, "move " + i + " left the object: " + Arrays.toString(p));
            if (i > 0) {
                float[] q = path.get(i - 1);
                assertEquals(6.0, Math.hypot(p[0] - q[0], p[1] - q[1]), 0.01, "step " + i);
            }
        }
    }

    /** A 600×400 ground truth: a disc of radius 120 at (300, 200), the rest background. */
    private Path disc() throws IOException {
        BufferedImage mask = new BufferedImage(600, 400, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 600; x++) {
                mask.getRaster().setSample(x, y, 0, Math.hypot(x + 0.5 - 300, y + 0.5 - 200) < 120 ? 255 : 0);
            }
        }
        Path file = folder.resolve("disc.png");
        ImageIO.write(mask, "png", file.toFile());
        return file;
    }
}

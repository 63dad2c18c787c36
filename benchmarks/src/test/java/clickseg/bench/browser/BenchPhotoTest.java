package clickseg.bench.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPhotoTest {
    @TempDir
    Path folder;

    @Test
    void a_16_9_crop_of_a_4_3_photo_keeps_photo_and_mask_aligned_and_centred_on_a_tall_object() throws IOException {
        // person1's case: 600×450, the object's box (72,81)–(599,449) is taller than the 338 rows of a 16:9 crop.
        Path photo = writePhoto(600, 450);
        Path truth = writeMask(600, 450, 72, 81, 599, 449);
        BenchPhoto cropped = BenchPhoto.of("16:9", photo, truth, folder.resolve("crops"));

        assertEquals(600, cropped.width());
        assertEquals(338, cropped.height());
        BufferedImage image = ImageIO.read(cropped.image().toFile());
        BufferedImage mask = ImageIO.read(cropped.truth().toFile());
        assertEquals(600, image.getWidth());
        assertEquals(338, image.getHeight());
        int top = (81 + 449 + 1) / 2 - 338 / 2; // centred on the box: 96
        BufferedImage original = ImageIO.read(truth.toFile());
        for (int y = 0; y < 338; y++) {
            for (int x = 0; x < 600; x += 7) {
                assertEquals(original.getRaster().getSample(x, y + top, 0), mask.getRaster().getSample(x, y, 0),
                        "mask label at (" + x + ", " + y + ")");
            }
            // The photo's green channel encodes its row (y / 2): the crop shows the same rows (JPEG: ± a few levels).
            int green = (image.getRGB(300, y) >> 8) & 0xff;
            assertTrue(Math.abs(green - (y + top) / 2) <= 4, "row " + y + " shows photo row " + 2 * green);
        }
        assertTrue(cropped.origin().contains("rows 96–433"), cropped.origin());
    }

    @Test
    void a_photo_that_already_has_the_ratio_is_used_as_it_is() throws IOException {
        Path photo = writePhoto(600, 450);
        Path truth = writeMask(600, 450, 100, 100, 200, 200);
        BenchPhoto same = BenchPhoto.of("4:3", photo, truth, folder.resolve("crops"));
        assertEquals(photo, same.image());
        assertEquals(truth, same.truth());
        assertEquals("4x3", same.key());
    }

    @Test
    void a_crop_is_centred_on_the_object_and_clamped_to_the_photo() {
        assertEquals(96, BenchPhoto.placeCrop(81, 449, 338, 450));   // taller box: centred
        assertEquals(0, BenchPhoto.placeCrop(0, 50, 338, 450));      // near the top: clamped to 0
        assertEquals(112, BenchPhoto.placeCrop(400, 449, 338, 450)); // near the bottom: clamped to 450 − 338
    }

    private Path writePhoto(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x / 3) << 16 | (y / 2) << 8 | 128);
            }
        }
        Path file = folder.resolve("photo.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** 255 inside the box, a 128 band 3 px wide around it, 0 elsewhere: GrabCut's three labels. */
    private Path writeMask(int w, int h, int x0, int y0, int x1, int y1) throws IOException {
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x >= x0 && x <= x1 && y >= y0 && y <= y1;
                boolean band = x >= x0 - 3 && x <= x1 + 3 && y >= y0 - 3 && y <= y1 + 3;
                mask.getRaster().setSample(x, y, 0, inside ? 255 : band ? 128 : 0);
            }
        }
        Path file = folder.resolve("mask.png");
        ImageIO.write(mask, "png", file.toFile());
        return file;
    }
}

package clickseg.web.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskUpsamplerTest {
    private static final int N = MaskUpsampler.LOW_RES;

    /** Logits -1 left of column `edge` and +1 from it on, in a (1, 256, 256) array. */
    private static float[] verticalStep(int edge) {
        float[] logits = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                logits[y * N + x] = x < edge ? -1f : 1f;
            }
        }
        return logits;
    }

    @Test
    void a_step_between_logit_columns_127_and_128_lands_between_pixels_511_and_512_of_a_1024_image() {
        // 256 -> 1024 with align_corners=False samples logit coordinate (u + 0.5) / 4 - 0.5, which
        // passes the middle of columns 127 and 128 (127.5) at u = 511.5.
        MaskRaster mask = new MaskRaster(1024, 1024);
        new MaskUpsampler().upsample(verticalStep(128), 0, 1024, 1024, mask);
        assertEquals(512 * 1024, mask.area());
        assertEquals(512, mask.boxX());
        assertEquals(0, mask.inside[100 * 1024 + 511]);
        assertEquals(1, mask.inside[100 * 1024 + 512]);
    }

    @Test
    void the_padded_bottom_of_a_wide_image_never_reaches_the_mask() {
        // A 2000x1000 image fills only the top 1024x512 of the encoder frame, rows 0..127 of the
        // logits; logits positive only in rows 128.. (padding) must give an empty mask.
        float[] logits = new float[N * N];
        for (int i = 0; i < N * N; i++) {
            logits[i] = i / N >= 128 ? 5f : -5f;
        }
        MaskRaster mask = new MaskRaster(2000, 1000);
        new MaskUpsampler().upsample(logits, 0, 2000, 1000, mask);
        assertEquals(0, mask.area());
        assertTrue(mask.isEmpty());
    }

    @Test
    void the_offset_selects_which_of_the_four_masks_is_drawn() {
        float[] logits = new float[4 * N * N];
        for (int i = 0; i < N * N; i++) {
            logits[2 * N * N + i] = 1f; // only mask 2 is all inside
            logits[i] = -1f;
        }
        MaskRaster mask = new MaskRaster(300, 200);
        MaskUpsampler upsampler = new MaskUpsampler();
        upsampler.upsample(logits, 2 * N * N, 300, 200, mask);
        assertEquals(300 * 200, mask.area());
        upsampler.upsample(logits, 0, 300, 200, mask);
        assertEquals(0, mask.area());
    }

    @Test
    void a_coarser_preview_grid_covers_the_same_fraction_of_the_image() {
        MaskRaster full = new MaskRaster(1024, 1024);
        MaskRaster preview = new MaskRaster(256, 256);
        MaskUpsampler upsampler = new MaskUpsampler();
        upsampler.upsample(verticalStep(64), 0, 1024, 1024, full);
        upsampler.upsample(verticalStep(64), 0, 1024, 1024, preview);
        double fullFraction = full.area() / (1024.0 * 1024.0);
        double previewFraction = preview.area() / (256.0 * 256.0);
        assertEquals(fullFraction, previewFraction, 1.0 / 256);
    }
}

package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.CoordinateTransform;

/**
 * Stand-in low-resolution logits (256, 256) for a mask that came as pixels (the server's
 * "everything" masks carry no logits): +1 where the low-res sample's position in the image is
 * inside the mask, -1 elsewhere, so the outline tracer that works on decoder logits can draw
 * and export its outline too.
 */
final class BinaryMaskLogits {
    private BinaryMaskLogits() {
    }

    static float[] of(BinaryMask mask, CoordinateTransform transform) {
        int n = MaskUpsampler.LOW_RES;
        float[] logits = new float[n * n]; // (256, 256)
        for (int j = 0; j < n; j++) {
            int y = (int) Math.floor(transform.toOriginalY((j + 0.5) * 4));
            for (int i = 0; i < n; i++) {
                int x = (int) Math.floor(transform.toOriginalX((i + 0.5) * 4));
                boolean inside = x >= 0 && y >= 0 && x < mask.width() && y < mask.height() && mask.get(x, y);
                logits[j * n + i] = inside ? 1f : -1f;
            }
        }
        return logits;
    }
}

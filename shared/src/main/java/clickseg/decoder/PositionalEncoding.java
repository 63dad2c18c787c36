package clickseg.decoder;

/**
 * SAM's PositionEmbeddingRandom._pe_encoding: coordinates in [0, 1] → 2·c − 1 → (x, y)·G →
 * 2π· → [sin, cos], with G the (2, 128) random Gaussian matrix. Computed in float where the ONNX
 * graph is float, with sin and cos evaluated in double and rounded.
 */
final class PositionalEncoding {
    private static final float TWO_PI = (float) (2 * Math.PI);

    private PositionalEncoding() {
    }

    /** Writes 256 features for normalised (x, y) into dst[offset, offset + 256). */
    static void encode(float[] gaussian, float x01, float y01, float[] dst, int offset) {
        int half = gaussian.length / 2;
        float x = x01 * 2f - 1f;
        float y = y01 * 2f - 1f;
        for (int j = 0; j < half; j++) {
            float v = (x * gaussian[j] + y * gaussian[half + j]) * TWO_PI;
            dst[offset + j] = (float) Math.sin(v);
            dst[offset + half + j] = (float) Math.cos(v);
        }
    }
}

package clickseg.wire;

/**
 * One image's embedding for one model, with the geometry a client needs to place clicks.
 *
 * @param modelId        the model that produced it (ASCII [A-Za-z0-9._-], at most 64 characters)
 * @param dtype          how the values travelled; after decoding, {@link #data} holds the dequantised floats
 * @param shape          (1, C, H, W), e.g. (1, 256, 64, 64)
 * @param originalWidth  upright width of the uploaded image in pixels
 * @param originalHeight upright height of the uploaded image in pixels
 * @param resizedWidth   width inside the encoder's square input (longest side 1024)
 * @param resizedHeight  height inside the encoder's square input
 * @param data           (C, H, W) values, channel-major
 */
public record EmbeddingContainer(String modelId, Dtype dtype, int[] shape,
                                 int originalWidth, int originalHeight, int resizedWidth, int resizedHeight,
                                 float[] data) {

    public EmbeddingContainer {
        if (shape == null || shape.length != 4 || shape[0] != 1) {
            throw new IllegalArgumentException("shape must be (1, C, H, W)");
        }
        long count = (long) shape[1] * shape[2] * shape[3];
        if (shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0 || data == null || data.length != count) {
            throw new IllegalArgumentException("data must hold C*H*W = " + count + " values");
        }
        if (!EmbeddingCodec.isValidModelId(modelId)) {
            throw new IllegalArgumentException("model id must be 1-64 characters of [A-Za-z0-9._-]");
        }
    }

    public int channels() {
        return shape[1];
    }

    public int height() {
        return shape[2];
    }

    public int width() {
        return shape[3];
    }
}

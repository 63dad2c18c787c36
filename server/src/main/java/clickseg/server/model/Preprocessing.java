package clickseg.server.model;

/**
 * The SAM v1 pre-processing constants a model was trained with.
 *
 * @param longestSide the encoder's square input side; the image's longest side is resized to it
 * @param pixelMean   per-channel (R, G, B) mean on the 0-255 scale
 * @param pixelStd    per-channel (R, G, B) standard deviation on the 0-255 scale
 */
public record Preprocessing(int longestSide, float[] pixelMean, float[] pixelStd) {
}

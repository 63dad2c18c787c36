package clickseg.server.image;

/**
 * The encoder's input tensor and the geometry the client needs to map clicks into it.
 *
 * @param chw            (3, side, side) normalised RGB, zero beyond the resized image (bottom and right)
 * @param side           the square input side (longestSide of the model, 1024 for SAM)
 * @param resizedWidth   width of the image inside the square
 * @param resizedHeight  height of the image inside the square
 * @param originalWidth  upright width of the uploaded image
 * @param originalHeight upright height of the uploaded image
 */
public record EncoderInput(float[] chw, int side, int resizedWidth, int resizedHeight,
                           int originalWidth, int originalHeight) {
}

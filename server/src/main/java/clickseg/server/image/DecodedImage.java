package clickseg.server.image;

/**
 * An upright 8-bit RGB image.
 *
 * @param rgb    samples, interleaved (height, width, 3), row-major, as stored in the file (no colour management)
 * @param width  width after the EXIF orientation is applied
 * @param height height after the EXIF orientation is applied
 */
public record DecodedImage(byte[] rgb, int width, int height) {
    public DecodedImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + width + "x" + height + "x3");
        }
    }
}

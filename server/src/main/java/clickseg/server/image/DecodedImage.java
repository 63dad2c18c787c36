package clickseg.server.image;

/**
 * An upright 8-bit RGB image.
 *
 * @param rgb    samples, interleaved (height, width, 3), row-major, as stored in the file (no colour management)
 * @param width  width after the EXIF orientation is applied
 * @param height height after the EXIF orientation is applied
 * @param originalWidth  the upright width of the image in the file: larger than {@code width} when the image was
 *                       read subsampled (every n-th pixel) because only a smaller version of it is needed
 * @param originalHeight the upright height of the image in the file
 */
public record DecodedImage(byte[] rgb, int width, int height, int originalWidth, int originalHeight) {
    public DecodedImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + width + "x" + height + "x3");
        }
    }

    /** An image read at full resolution. */
    public DecodedImage(byte[] rgb, int width, int height) {
        this(rgb, width, height, width, height);
    }

    /** Whether this is a subsampled reading of a larger image. */
    public boolean subsampled() {
        return width != originalWidth || height != originalHeight;
    }
}

package clickseg.everything;

/**
 * One mask of automatic generation, in the whole image's frame: COCO run lengths (column-major,
 * zeros first, see {@link clickseg.mask.RunLengthEncoding}), the COCO box [x, y, width, height] of
 * its pixels, its area, the decoder's predicted IoU and stability score, the grid point that
 * prompted it (X, Y in original pixels) and the crop it came from.
 */
public final class GeneratedMask {
    private final int[] counts;
    private final int[] box;     // (4) x, y, width, height
    private final long area;
    private final float predictedIou;
    private final float stability;
    private final float pointX;
    private final float pointY;
    private final CropBox crop;

    public GeneratedMask(int[] counts, int[] box, long area, float predictedIou, float stability, float pointX,
                         float pointY, CropBox crop) {
        this.counts = counts;
        this.box = box;
        this.area = area;
        this.predictedIou = predictedIou;
        this.stability = stability;
        this.pointX = pointX;
        this.pointY = pointY;
        this.crop = crop;
    }

    /** The same mask with other pixels (after small-region clean-up). */
    GeneratedMask withPixels(int[] newCounts, int[] newBox, long newArea) {
        return new GeneratedMask(newCounts, newBox, newArea, predictedIou, stability, pointX, pointY, crop);
    }

    /** COCO run lengths over the whole image; do not modify. */
    public int[] counts() {
        return counts;
    }

    /** COCO bbox [x, y, width, height] (a copy). */
    public int[] box() {
        return box.clone();
    }

    public int boxX() {
        return box[0];
    }

    public int boxY() {
        return box[1];
    }

    public int boxWidth() {
        return box[2];
    }

    public int boxHeight() {
        return box[3];
    }

    public long area() {
        return area;
    }

    public float predictedIou() {
        return predictedIou;
    }

    public float stability() {
        return stability;
    }

    public float pointX() {
        return pointX;
    }

    public float pointY() {
        return pointY;
    }

    public CropBox crop() {
        return crop;
    }
}

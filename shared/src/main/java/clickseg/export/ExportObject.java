package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;

/**
 * One labelled object of an image, as the exports see it: an integer id (unique within its image, kept in
 * the exported files), a label (the category), a colour (0xRRGGBB) and its mask at the image's size.
 *
 * <p>The mask is held either as pixels or as COCO RLE counts (column-major, zeros first). An object built
 * from counts decodes its mask again on each {@link #mask()} call and keeps only the counts, so that a
 * server export of many objects holds one full-size mask at a time.
 */
public final class ExportObject {
    private final int id;
    private final String label;
    private final int rgb;
    private final int width;
    private final int height;
    private final BinaryMask mask; // null when built from counts
    private final int[] counts; // null when built from a mask

    private ExportObject(int id, String label, int rgb, int width, int height, BinaryMask mask, int[] counts) {
        if (label == null) {
            throw new IllegalArgumentException("label: must not be null");
        }
        this.id = id;
        this.label = label;
        this.rgb = rgb & 0xFFFFFF;
        this.width = width;
        this.height = height;
        this.mask = mask;
        this.counts = counts;
    }

    /** An object whose mask is these pixels (not copied). */
    public static ExportObject ofMask(int id, String label, int rgb, BinaryMask mask) {
        return new ExportObject(id, label, rgb, mask.width(), mask.height(), mask, null);
    }

    /**
     * An object whose mask is COCO RLE counts (uncompressed run lengths, column-major, zeros first) of a
     * width × height mask.
     *
     * @throws IllegalArgumentException when a count is negative or the counts do not sum to width × height
     */
    public static ExportObject ofRle(int id, String label, int rgb, int width, int height, int[] counts) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size: bad mask size " + width + "x" + height);
        }
        long total = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts: negative run length " + c);
            }
            total += c;
        }
        if (total != (long) width * height) {
            throw new IllegalArgumentException("counts: the runs cover " + total + " pixels, the mask has "
                    + (long) width * height + " (" + width + "x" + height + ")");
        }
        return new ExportObject(id, label, rgb, width, height, null, counts.clone());
    }

    public int id() {
        return id;
    }

    /** The label as given (see {@link Categories#name} for what the files call it). */
    public String label() {
        return label;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The mask (height, width); decoded from the counts on each call when the object was built from RLE. */
    public BinaryMask mask() {
        return mask != null ? mask : RunLengthEncoding.decode(counts, width, height);
    }

    /** COCO RLE counts of the mask (column-major run lengths, zeros first). */
    public int[] rleCounts() {
        return counts != null ? counts.clone() : RunLengthEncoding.counts(mask);
    }
}

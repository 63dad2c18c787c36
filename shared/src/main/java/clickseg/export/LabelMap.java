package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPng;
import java.util.List;

/**
 * An image's objects as one indexed PNG: pixel value n is the n-th object (1-based, in object order), 0 the
 * background; the palette gives index 0 black and index n the n-th object's colour, so the file opens as a
 * coloured picture and reads as a label image (PIL's "P" mode, numpy after Image.open). Where objects
 * overlap, the later object owns the pixel. At most 255 objects (8 bits).
 */
public final class LabelMap {
    public static final int MAX_OBJECTS = 255;

    private LabelMap() {
    }

    /** (height, width) object indices, 0 = background. */
    public static byte[] indices(ExportImage image) {
        List<ExportObject> objects = image.objects();
        if (objects.size() > MAX_OBJECTS) {
            throw new IllegalArgumentException("objects: a label map holds at most " + MAX_OBJECTS + ", got "
                    + objects.size());
        }
        byte[] indices = new byte[image.width() * image.height()];
        for (int n = 0; n < objects.size(); n++) {
            byte[] pixels = objects.get(n).mask().pixels();
            byte value = (byte) (n + 1);
            for (int i = 0; i < pixels.length; i++) {
                if (pixels[i] != 0) {
                    indices[i] = value;
                }
            }
        }
        return indices;
    }

    /** Palette: black, then each object's colour. */
    public static int[] palette(ExportImage image) {
        List<ExportObject> objects = image.objects();
        int[] palette = new int[objects.size() + 1];
        for (int n = 0; n < objects.size(); n++) {
            palette[n + 1] = objects.get(n).rgb();
        }
        return palette;
    }

    /** The label map as an 8-bit indexed-colour PNG. */
    public static byte[] png(ExportImage image) {
        return MaskPng.encodeIndexed(image.width(), image.height(), indices(image), palette(image));
    }

    /** The mask's pixels inside box ([x, y, w, h]) as a mask of the box's size, or null for an empty box. */
    static BinaryMask crop(BinaryMask mask, int[] box) {
        if (box[2] == 0) {
            return null;
        }
        BinaryMask crop = new BinaryMask(box[2], box[3]);
        for (int y = 0; y < box[3]; y++) {
            System.arraycopy(mask.pixels(), (box[1] + y) * mask.width() + box[0], crop.pixels(), y * box[2], box[2]);
        }
        return crop;
    }
}

package clickseg.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One image of an export: the file name the annotation files refer to, its size in pixels and its objects
 * in order (object index 1.. in the label map follows this order). Optionally the image's pixels, which only
 * the cut-outs need.
 */
public final class ExportImage {
    private final String fileName;
    private final int width;
    private final int height;
    private final List<ExportObject> objects;
    private final int[] argb; // (height, width) 0xAARRGGBB, or null

    /**
     * @throws IllegalArgumentException when an object's mask is not width × height
     */
    public ExportImage(String fileName, int width, int height, List<ExportObject> objects) {
        this(fileName, width, height, objects, null);
    }

    private ExportImage(String fileName, int width, int height, List<ExportObject> objects, int[] argb) {
        if (fileName == null || fileName.isEmpty()) {
            throw new IllegalArgumentException("file name: must not be empty");
        }
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size: bad image size " + width + "x" + height);
        }
        for (int i = 0; i < objects.size(); i++) {
            ExportObject o = objects.get(i);
            if (o.width() != width || o.height() != height) {
                throw new IllegalArgumentException("objects[" + i + "]: mask is " + o.width() + "x" + o.height()
                        + ", the image " + width + "x" + height);
            }
        }
        if (argb != null && argb.length != width * height) {
            throw new IllegalArgumentException("pixels: " + argb.length + " given, the image has " + width * height);
        }
        this.fileName = fileName;
        this.width = width;
        this.height = height;
        this.objects = Collections.unmodifiableList(new ArrayList<>(objects));
        this.argb = argb;
    }

    /** The same image with its pixels, for cut-outs. @param argb (height, width) 0xAARRGGBB, not copied */
    public ExportImage withPixels(int[] argb) {
        return new ExportImage(fileName, width, height, objects, argb);
    }

    public String fileName() {
        return fileName;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public List<ExportObject> objects() {
        return objects;
    }

    /** (height, width) 0xAARRGGBB, or null when not given. */
    public int[] pixels() {
        return argb;
    }
}

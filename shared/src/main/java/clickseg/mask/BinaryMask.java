package clickseg.mask;

/**
 * A full-size binary mask: width × height, row-major, 1 inside and 0 outside.
 */
public final class BinaryMask {
    private final int width;
    private final int height;
    private final byte[] pixels; // (height, width)

    public BinaryMask(int width, int height) {
        this(width, height, new byte[checkedArea(width, height)]);
    }

    /** Wraps pixels (height, width) of 0/1 values without copying. */
    public BinaryMask(int width, int height, byte[] pixels) {
        if (pixels.length != checkedArea(width, height)) {
            throw new IllegalArgumentException("mask of " + width + "x" + height + " needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    private static int checkedArea(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad mask size " + width + "x" + height);
        }
        return width * height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (height, width); writes go through. */
    public byte[] pixels() {
        return pixels;
    }

    public boolean get(int x, int y) {
        return pixels[y * width + x] != 0;
    }

    public void set(int x, int y, boolean inside) {
        pixels[y * width + x] = (byte) (inside ? 1 : 0);
    }

    /** Number of pixels inside. */
    public long area() {
        long n = 0;
        for (byte p : pixels) {
            n += p != 0 ? 1 : 0;
        }
        return n;
    }

    /** COCO bbox [x, y, width, height] of the inside pixels, or [0, 0, 0, 0] when empty. */
    public int[] boundingBox() {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (pixels[row + x] != 0) {
                    if (x < minX) {
                        minX = x;
                    }
                    if (x > maxX) {
                        maxX = x;
                    }
                    if (y < minY) {
                        minY = y;
                    }
                    maxY = y;
                }
            }
        }
        if (maxX < 0) {
            return new int[] {0, 0, 0, 0};
        }
        return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }

    /** Pixels where both masks agree, as a fraction of all pixels. */
    public double agreement(BinaryMask other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("masks differ in size");
        }
        long same = 0;
        for (int i = 0; i < pixels.length; i++) {
            same += (pixels[i] != 0) == (other.pixels[i] != 0) ? 1 : 0;
        }
        return (double) same / pixels.length;
    }
}

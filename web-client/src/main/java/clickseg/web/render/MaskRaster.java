package clickseg.web.render;

/**
 * A binary mask on a pixel grid: {@code inside[y * width + x]} is 1 inside the object, 0 outside.
 * The grid is either the image's own resolution (committed masks, exports) or a smaller grid
 * covering the same image (hover previews), so {@link #width} need not equal the image width.
 * Area and bounding box are counted while the mask is written, so nobody scans it twice.
 */
public final class MaskRaster {
    public final int width;
    public final int height;
    public final byte[] inside; // (height, width), 0 or 1
    int area;
    int minX;
    int minY;
    int maxX; // inclusive
    int maxY; // inclusive

    public MaskRaster(int width, int height) {
        this.width = width;
        this.height = height;
        this.inside = new byte[width * height];
    }

    /** Number of pixels inside the mask. */
    public int area() {
        return area;
    }

    public boolean isEmpty() {
        return area == 0;
    }

    /** Left edge of the bounding box, in grid pixels; meaningless when empty. */
    public int boxX() {
        return minX;
    }

    public int boxY() {
        return minY;
    }

    /** Bounding box width in pixels (0 when empty). */
    public int boxWidth() {
        return area == 0 ? 0 : maxX - minX + 1;
    }

    public int boxHeight() {
        return area == 0 ? 0 : maxY - minY + 1;
    }

    /** Recounts area and bounding box from {@link #inside}; call after writing it by hand. */
    public void recount() {
        int count = 0;
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (inside[row + x] != 0) {
                    count++;
                    if (x < x0) {
                        x0 = x;
                    }
                    if (x > x1) {
                        x1 = x;
                    }
                    if (y < y0) {
                        y0 = y;
                    }
                    y1 = y;
                }
            }
        }
        area = count;
        minX = x0;
        minY = y0;
        maxX = x1;
        maxY = y1;
    }
}

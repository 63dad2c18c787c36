package clickseg.web.render;

/**
 * The boundary of a {@link MaskRaster} as axis-aligned segments on pixel corners: every edge
 * between an inside and an outside pixel, with neighbouring edges on the same line merged.
 * Drawn in screen space with a constant stroke width, it stays crisp at any zoom and on
 * high-DPI screens, and it traces the very pixels of the fill (no smoothing that could lie).
 * Segments are not chained into closed rings; a stroke does not need that.
 */
public final class MaskOutline {
    /** Flat (count, 4) array: x0, y0, x1, y1 in grid pixel-corner coordinates. */
    private int[] segments = new int[1024];
    private int count;

    public int segmentCount() {
        return count;
    }

    /** Segment coordinates, (segmentCount, 4): x0, y0, x1, y1. Valid until the next trace. */
    public int[] segments() {
        return segments;
    }

    public void trace(MaskRaster mask) {
        count = 0;
        if (mask.isEmpty()) {
            return;
        }
        int w = mask.width;
        int h = mask.height;
        byte[] in = mask.inside;
        int xStart = mask.boxX();
        int xEnd = xStart + mask.boxWidth(); // exclusive
        int yStart = mask.boxY();
        int yEnd = yStart + mask.boxHeight();
        // Horizontal edges on line y lie between rows y-1 and y.
        for (int y = yStart; y <= yEnd; y++) {
            int runStart = -1;
            for (int x = xStart; x <= xEnd; x++) {
                boolean edge = x < xEnd && differs(in, w, h, x, y - 1, x, y);
                if (edge && runStart < 0) {
                    runStart = x;
                } else if (!edge && runStart >= 0) {
                    add(runStart, y, x, y);
                    runStart = -1;
                }
            }
        }
        // Vertical edges on line x lie between columns x-1 and x.
        for (int x = xStart; x <= xEnd; x++) {
            int runStart = -1;
            for (int y = yStart; y <= yEnd; y++) {
                boolean edge = y < yEnd && differs(in, w, h, x - 1, y, x, y);
                if (edge && runStart < 0) {
                    runStart = y;
                } else if (!edge && runStart >= 0) {
                    add(x, runStart, x, y);
                    runStart = -1;
                }
            }
        }
    }

    private static boolean differs(byte[] in, int w, int h, int xa, int ya, int xb, int yb) {
        return valueAt(in, w, h, xa, ya) != valueAt(in, w, h, xb, yb);
    }

    private static int valueAt(byte[] in, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : in[y * w + x];
    }

    private void add(int x0, int y0, int x1, int y1) {
        if ((count + 1) * 4 > segments.length) {
            int[] grown = new int[segments.length * 2];
            System.arraycopy(segments, 0, grown, 0, count * 4);
            segments = grown;
        }
        int i = count * 4;
        segments[i] = x0;
        segments[i + 1] = y0;
        segments[i + 2] = x1;
        segments[i + 3] = y1;
        count++;
    }
}

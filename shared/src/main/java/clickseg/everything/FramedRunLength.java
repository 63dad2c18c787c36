package clickseg.everything;

/**
 * COCO run lengths (column-major, zeros first) of a small row-major mask placed at (frameX, frameY)
 * inside a larger all-zero frame, without materialising the frame; and the way back, from run
 * lengths to one window of the frame. Work is proportional to the window, not to the frame, so a
 * mask cropped to its box costs what its box costs.
 */
public final class FramedRunLength {
    private FramedRunLength() {
    }

    /**
     * @param pixels      (rows, stride) 0/1 values; the window starts at offset
     * @param width       window width
     * @param height      window height
     * @param frameX      the window's left column in the frame
     * @param frameY      the window's top row in the frame
     * @param frameWidth  the frame (the whole image) width
     * @param frameHeight the frame height
     */
    public static int[] encode(byte[] pixels, int offset, int stride, int width, int height, int frameX, int frameY,
                               int frameWidth, int frameHeight) {
        if (frameX < 0 || frameY < 0 || frameX + width > frameWidth || frameY + height > frameHeight) {
            throw new IllegalArgumentException("window " + width + "x" + height + " at " + frameX + "," + frameY
                    + " is outside the " + frameWidth + "x" + frameHeight + " frame");
        }
        Runs runs = new Runs();
        for (int x = 0; x < width; x++) {
            long column = (long) (frameX + x) * frameHeight;
            if (frameY > 0) {
                runs.value(0, column);
            }
            for (int y = 0; y < height; y++) {
                runs.value(pixels[offset + y * stride + x] != 0 ? 1 : 0, column + frameY + y);
            }
            if (frameY + height < frameHeight) {
                runs.value(0, column + frameY + height);
            }
        }
        if (frameX + width < frameWidth) { // the columns right of the window are empty
            runs.value(0, (long) (frameX + width) * frameHeight);
        }
        return runs.finish((long) frameWidth * frameHeight);
    }

    /**
     * Writes the window (width × height at frameX, frameY) of the mask the run lengths describe into
     * out (height, width), 0/1.
     */
    public static void decodeWindow(int[] counts, int frameHeight, int frameX, int frameY, int width, int height,
                                    byte[] out) {
        java.util.Arrays.fill(out, 0, width * height, (byte) 0);
        long start = 0;
        for (int i = 0; i < counts.length; i++) {
            long end = start + counts[i];
            if ((i & 1) == 1 && end > start) { // odd runs are inside
                long firstColumn = start / frameHeight;
                long lastColumn = (end - 1) / frameHeight;
                long fromColumn = Math.max(firstColumn, frameX);
                long toColumn = Math.min(lastColumn, frameX + width - 1L);
                for (long column = fromColumn; column <= toColumn; column++) {
                    long base = column * frameHeight;
                    long y0 = Math.max(start - base, frameY);
                    long y1 = Math.min(end - base, (long) frameY + height); // exclusive
                    int x = (int) (column - frameX);
                    for (long y = y0; y < y1; y++) {
                        out[(int) (y - frameY) * width + x] = 1;
                    }
                }
            }
            start = end;
        }
    }

    /** Collects run lengths from a sequence of (value, column-major index) changes. */
    private static final class Runs {
        private int[] counts = new int[16];
        private int size;
        private int current;   // value of the run being measured (0 first)
        private long runStart; // its first index

        void value(int v, long index) {
            if (v == current) {
                return;
            }
            add(index - runStart);
            runStart = index;
            current = v;
        }

        int[] finish(long total) {
            add(total - runStart);
            return java.util.Arrays.copyOf(counts, size);
        }

        private void add(long run) {
            if (size == counts.length) {
                counts = java.util.Arrays.copyOf(counts, size * 2);
            }
            counts[size++] = (int) run;
        }
    }
}

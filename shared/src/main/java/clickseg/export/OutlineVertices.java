package clickseg.export;

/**
 * How many vertices a mask's traced outline has ({@link MaskTracer}: one per pair of neighbouring pixels, the
 * image's surround counting as outside, that differ), counted from its COCO RLE runs without decoding it:
 * O(runs + width). A server can refuse a noise-like mask (alternate columns of a 7000 × 7000 image have 98
 * million crossings from 7000 runs) before tracing it.
 */
public final class OutlineVertices {
    private OutlineVertices() {
    }

    /**
     * @param counts column-major run lengths, zeros first, summing to width × height
     */
    public static long count(int[] counts, int width, int height) {
        Columns columns = new Columns();
        long p = 0; // column-major position
        for (int i = 0; i < counts.length; i++) {
            long end = p + counts[i];
            if ((i & 1) == 1) {
                while (p < end) {
                    int x = (int) (p / height);
                    int y = (int) (p % height);
                    int length = (int) Math.min(end - p, height - y);
                    columns.advanceTo(x);
                    columns.add(y, y + length);
                    p += length;
                }
            }
            p = end;
        }
        columns.advanceTo(width);
        return columns.crossings + columns.previousArea(); // the last column against the right surround
    }

    /** The inside intervals of the column being read and of the one before it. */
    private static final class Columns {
        private int[] previous = new int[16]; // start, end pairs
        private int previousCount;
        private int[] current = new int[16];
        private int currentCount;
        private int x;
        long crossings;

        void add(int start, int end) {
            if (2 * currentCount + 2 > current.length) {
                current = java.util.Arrays.copyOf(current, current.length * 2);
            }
            current[2 * currentCount] = start;
            current[2 * currentCount + 1] = end;
            currentCount++;
        }

        /** Finishes columns up to (not including) target: their vertical crossings and those with the column before. */
        void advanceTo(int target) {
            while (x < target) {
                crossings += 2L * currentCount; // each interval's top and bottom
                crossings += xorArea();
                int[] swap = previous;
                previous = current;
                previousCount = currentCount;
                current = swap;
                currentCount = 0;
                x++;
            }
        }

        long previousArea() {
            long area = 0;
            for (int i = 0; i < previousCount; i++) {
                area += previous[2 * i + 1] - previous[2 * i];
            }
            return area;
        }

        /** Pixels inside in exactly one of the previous and current column. */
        private long xorArea() {
            long a = previousArea();
            long b = 0;
            for (int i = 0; i < currentCount; i++) {
                b += current[2 * i + 1] - current[2 * i];
            }
            long both = 0;
            int i = 0;
            int j = 0;
            while (i < previousCount && j < currentCount) {
                int start = Math.max(previous[2 * i], current[2 * j]);
                int end = Math.min(previous[2 * i + 1], current[2 * j + 1]);
                if (end > start) {
                    both += end - start;
                }
                if (previous[2 * i + 1] < current[2 * j + 1]) {
                    i++;
                } else {
                    j++;
                }
            }
            return a + b - 2 * both;
        }
    }
}

package clickseg.everything;

/**
 * SAM's remove_small_regions, holes first and then islands: background regions smaller than the
 * minimum area are filled, and mask regions smaller than it are removed (all but the largest if
 * every region is small). Connectivity is 8, as SAM's cv2.connectedComponentsWithStats call.
 *
 * <p>The work is done on the mask's box widened by one pixel (clipped to the image). Mask pixels
 * all lie in the box, so islands are exact; a background region that reaches the widened ring is
 * joined to the background outside the window, and is counted with all pixels outside the window
 * (exact unless the mask leaves only a split sliver of the image outside its box).
 */
public final class SmallRegionCleanup {
    private final int imageWidth;
    private final int imageHeight;
    private final int minArea;
    private byte[] window = new byte[0];  // (h, w) 0/1
    private int[] labels = new int[0];    // (h, w) component ids, 0 = unlabelled
    private int[] stack = new int[0];     // flood-fill work list
    private long[] sizes = new long[16];  // (components + 1)
    private boolean[] touchesRing = new boolean[16];

    public SmallRegionCleanup(int imageWidth, int imageHeight, int minArea) {
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.minArea = minArea;
    }

    /** The cleaned mask, or the same object when nothing changed; null when nothing is left. */
    public GeneratedMask apply(GeneratedMask mask) {
        int x0 = Math.max(0, mask.boxX() - 1);
        int y0 = Math.max(0, mask.boxY() - 1);
        int x1 = Math.min(imageWidth, mask.boxX() + mask.boxWidth() + 1);
        int y1 = Math.min(imageHeight, mask.boxY() + mask.boxHeight() + 1);
        int w = x1 - x0;
        int h = y1 - y0;
        ensure(w * h);
        FramedRunLength.decodeWindow(mask.counts(), imageHeight, x0, y0, w, h, window);
        long outside = (long) imageWidth * imageHeight - (long) w * h;
        boolean ringLeft = x0 > 0;
        boolean ringTop = y0 > 0;
        boolean ringRight = x1 < imageWidth;
        boolean ringBottom = y1 < imageHeight;

        boolean changed = false;
        // holes: small background components become mask
        int count = label(w, h, (byte) 0, ringLeft, ringTop, ringRight, ringBottom);
        for (int i = 0; i < w * h; i++) {
            int c = labels[i];
            if (c > 0) {
                long size = sizes[c] + (touchesRing[c] ? outside : 0);
                if (size < minArea) {
                    window[i] = 1;
                    changed = true;
                }
            }
        }
        // islands: small mask components are removed, unless all are small: then the largest stays
        count = label(w, h, (byte) 1, false, false, false, false);
        int largest = 0;
        boolean anyLarge = false;
        for (int c = 1; c <= count; c++) {
            if (largest == 0 || sizes[c] > sizes[largest]) {
                largest = c;
            }
            anyLarge |= sizes[c] >= minArea;
        }
        for (int i = 0; i < w * h; i++) {
            int c = labels[i];
            if (c > 0 && sizes[c] < minArea && (anyLarge || c != largest)) {
                window[i] = 0;
                changed = true;
            }
        }
        if (!changed) {
            return mask;
        }
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        long area = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (window[y * w + x] != 0) {
                    area++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
            }
        }
        if (area == 0) {
            return null;
        }
        int[] counts = FramedRunLength.encode(window, 0, w, w, h, x0, y0, imageWidth, imageHeight);
        return mask.withPixels(counts, new int[] {x0 + minX, y0 + minY, maxX - minX + 1, maxY - minY + 1}, area);
    }

    /**
     * Labels the 8-connected components of pixels equal to value; sizes[c] and touchesRing[c] are
     * filled for c = 1..returned count. A component touches the ring when it has a pixel on a window
     * side flagged as widened (so it continues outside the window).
     */
    private int label(int w, int h, byte value, boolean ringLeft, boolean ringTop, boolean ringRight, boolean ringBottom) {
        java.util.Arrays.fill(labels, 0, w * h, 0);
        int count = 0;
        for (int start = 0; start < w * h; start++) {
            if (window[start] != value || labels[start] != 0) {
                continue;
            }
            count++;
            if (count >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
                touchesRing = java.util.Arrays.copyOf(touchesRing, touchesRing.length * 2);
            }
            long size = 0;
            boolean ring = false;
            int top = 0;
            stack[top++] = start;
            labels[start] = count;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int px = p % w;
                int py = p / w;
                ring |= (ringLeft && px == 0) || (ringRight && px == w - 1) || (ringTop && py == 0)
                        || (ringBottom && py == h - 1);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= w || (dx == 0 && dy == 0)) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (window[q] == value && labels[q] == 0) {
                            labels[q] = count;
                            stack[top++] = q;
                        }
                    }
                }
            }
            sizes[count] = size;
            touchesRing[count] = ring;
        }
        return count;
    }

    private void ensure(int pixels) {
        if (window.length < pixels) {
            window = new byte[pixels];
            labels = new int[pixels];
            stack = new int[pixels];
        }
    }
}

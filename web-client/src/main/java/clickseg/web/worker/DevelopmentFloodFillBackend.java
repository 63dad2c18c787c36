package clickseg.web.worker;

/**
 * DEVELOPMENT ONLY — REMOVE WHEN THE REAL DECODER IS WIRED IN. Not a segmentation model.
 *
 * <p>A stand-in {@link DecoderBackend} so the page, the workers and the end-to-end tests can be
 * built before shared's MaskDecoder exists. It ignores weights and embeddings and instead
 * flood-fills similar colours from the clicked point on a 256-grid copy of the image that the
 * page sends (message type {@code pixels}). Three colour tolerances give the three
 * "candidates"; their "IoUs" are fixed numbers. Deterministic, cheap, and deliberately dumb.
 */
public final class DevelopmentFloodFillBackend implements DecoderBackend {
    private static final int N = LOW_RES;
    private static final int[] TOLERANCE = {40, 18, 40, 90}; // per mask, summed |dR|+|dG|+|dB|
    private static final float[] FIXED_IOU = {0.90f, 0.84f, 0.93f, 0.78f};
    private static final float INSIDE = 8f;

    private byte[] rgb = new byte[0]; // (gridHeight, gridWidth, 3) image on the 256 grid
    private int gridWidth;
    private int gridHeight;
    private int imageWidth;
    private int imageHeight;
    private final byte[] fill = new byte[N * N]; // (256, 256) scratch
    private final byte[] removed = new byte[N * N]; // (256, 256) scratch
    private final int[] stack = new int[N * N];

    @Override
    public void loadWeights(byte[] weightsFile) {
        // nothing to load: this backend has no model
    }

    @Override
    public void loadEmbedding(byte[] container) {
        // the development backend works from the pixels message instead
    }

    /**
     * The image resized so its longest side is 256 (top-left of the 256×256 low-res frame).
     *
     * @param rgba (gridHeight, gridWidth, 4)
     */
    public void loadPixels(int imageWidth, int imageHeight, int gridWidth, int gridHeight, byte[] rgba) {
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
        rgb = new byte[gridWidth * gridHeight * 3];
        for (int i = 0; i < gridWidth * gridHeight; i++) {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }
    }

    @Override
    public int decode(float[] points, int[] labels, float[] box, float[] maskInput,
                      float[] lowResLogitsOut, float[] iouOut) {
        if (gridWidth == 0) {
            throw new IllegalStateException("no image pixels loaded");
        }
        float toGrid = (float) N / Math.max(imageWidth, imageHeight);
        for (int m = 0; m < MASKS; m++) {
            java.util.Arrays.fill(fill, (byte) 0);
            java.util.Arrays.fill(removed, (byte) 0);
            boolean anyPositive = false;
            for (int i = 0; i < labels.length; i++) {
                int gx = (int) (points[2 * i] * toGrid);
                int gy = (int) (points[2 * i + 1] * toGrid);
                if (labels[i] == 1) {
                    floodFill(gx, gy, TOLERANCE[m], fill);
                    anyPositive = true;
                } else {
                    floodFill(gx, gy, TOLERANCE[0], removed);
                }
            }
            if (!anyPositive && box != null) {
                int cx = (int) ((box[0] + box[2]) * 0.5f * toGrid);
                int cy = (int) ((box[1] + box[3]) * 0.5f * toGrid);
                floodFill(cx, cy, TOLERANCE[m], fill);
            }
            int bx0 = 0;
            int by0 = 0;
            int bx1 = N;
            int by1 = N;
            if (box != null) {
                bx0 = (int) (box[0] * toGrid);
                by0 = (int) (box[1] * toGrid);
                bx1 = (int) Math.ceil(box[2] * toGrid);
                by1 = (int) Math.ceil(box[3] * toGrid);
            }
            int offset = m * N * N;
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    int i = y * N + x;
                    boolean in = fill[i] != 0 && removed[i] == 0
                            && x >= bx0 && x < bx1 && y >= by0 && y < by1;
                    lowResLogitsOut[offset + i] = in ? INSIDE : -INSIDE;
                }
            }
            iouOut[m] = FIXED_IOU[m];
        }
        boolean lone = (labels.length == 1 && box == null) || (labels.length == 0 && box != null);
        return lone ? 2 : 0;
    }

    private void floodFill(int sx, int sy, int tolerance, byte[] into) {
        if (sx < 0 || sy < 0 || sx >= gridWidth || sy >= gridHeight) {
            return;
        }
        int seed = (sy * gridWidth + sx) * 3;
        int r0 = rgb[seed] & 0xff;
        int g0 = rgb[seed + 1] & 0xff;
        int b0 = rgb[seed + 2] & 0xff;
        int top = 0;
        stack[top++] = sy * N + sx;
        into[sy * N + sx] = 1;
        while (top > 0) {
            int cell = stack[--top];
            int x = cell % N;
            int y = cell / N;
            for (int d = 0; d < 4; d++) {
                int nx = x + (d == 0 ? 1 : d == 1 ? -1 : 0);
                int ny = y + (d == 2 ? 1 : d == 3 ? -1 : 0);
                if (nx < 0 || ny < 0 || nx >= gridWidth || ny >= gridHeight || into[ny * N + nx] != 0) {
                    continue;
                }
                int p = (ny * gridWidth + nx) * 3;
                int diff = Math.abs((rgb[p] & 0xff) - r0) + Math.abs((rgb[p + 1] & 0xff) - g0)
                        + Math.abs((rgb[p + 2] & 0xff) - b0);
                if (diff <= tolerance) {
                    into[ny * N + nx] = 1;
                    stack[top++] = ny * N + nx;
                }
            }
        }
    }
}

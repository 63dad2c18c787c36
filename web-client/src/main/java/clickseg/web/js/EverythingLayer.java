package clickseg.web.js;

import clickseg.mask.BinaryMask;
import java.util.List;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The "everything" view: every mask the server found, at once, each in its own colour from a
 * fixed palette (the caller's choice of entry, so that a mask keeps its colour while more arrive) with a
 * bold opaque outline, painted at image resolution on an offscreen canvas
 * that the viewer draws over the image. A label map (image pixels, -1 for none) says which mask
 * a pixel shows; masks arrive largest first and later ones are painted over earlier ones, so
 * small objects stay visible on top of the large ones that contain them, and pointing at a
 * pixel picks the smallest mask there.
 */
final class EverythingLayer {
    /** Outline width in image pixels, inside each mask's edge. */
    private static final int OUTLINE = 2;
    private static final int FILL_ALPHA = 95;
    private static final int HIGHLIGHT_ALPHA = 185;
    /** Distinguishable colours (r, g, b), reused in order when there are more masks. */
    private static final int[] PALETTE = {
        230, 25, 75, 60, 180, 75, 255, 225, 25, 0, 130, 200, 245, 130, 48, 145, 30, 180,
        70, 240, 240, 240, 50, 230, 210, 245, 60, 250, 190, 212, 0, 128, 128, 170, 110, 40,
    };

    private final JSObject canvas = Browser.createCanvas(1, 1);
    private final JSObject context = Browser.context2d(canvas);
    private List<BinaryMask> masks = List.of();
    private int width;
    private int height;
    private int[] labels = new int[0]; // (height, width) mask index or -1
    private int[] colours = new int[0]; // (masks) palette entry of each mask
    private byte[] rgba = new byte[0];

    /** @param colour palette entry per mask (kept by the caller, so a mask keeps its colour as more arrive) */
    void setMasks(List<BinaryMask> found, int[] colour, int imageWidth, int imageHeight) {
        masks = found;
        colours = colour;
        width = imageWidth;
        height = imageHeight;
        labels = new int[width * height];
        java.util.Arrays.fill(labels, -1);
        for (int m = 0; m < found.size(); m++) {
            byte[] pixels = found.get(m).pixels();
            for (int i = 0; i < labels.length; i++) {
                if (pixels[i] != 0) {
                    labels[i] = m;
                }
            }
        }
        rgba = new byte[width * height * 4];
    }

    int count() {
        return masks.size();
    }

    BinaryMask mask(int index) {
        return masks.get(index);
    }

    /** The mask shown at an image pixel, or -1. */
    int labelAt(double x, double y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        if (ix < 0 || iy < 0 || ix >= width || iy >= height) {
            return -1;
        }
        return labels[iy * width + ix];
    }

    /** Repaints every mask, the highlighted one (or -1) more opaque; returns the canvas to draw. */
    JSObject paint(int highlighted) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int o = 4 * i;
                int label = labels[i];
                if (label < 0) {
                    rgba[o] = 0;
                    rgba[o + 1] = 0;
                    rgba[o + 2] = 0;
                    rgba[o + 3] = 0;
                    continue;
                }
                int p = 3 * (colours[label] % (PALETTE.length / 3));
                rgba[o] = (byte) PALETTE[p];
                rgba[o + 1] = (byte) PALETTE[p + 1];
                rgba[o + 2] = (byte) PALETTE[p + 2];
                int alpha = label == highlighted ? HIGHLIGHT_ALPHA : FILL_ALPHA;
                if (onEdge(x, y, label)) {
                    alpha = 255;
                }
                rgba[o + 3] = (byte) alpha;
            }
        }
        Browser.resizeCanvas(canvas, width, height);
        Browser.putRgba(context, Int8Array.copyFromJavaArray(rgba), width, height);
        return canvas;
    }

    /** True when a pixel within OUTLINE steps (along a row or column) shows another label. */
    private boolean onEdge(int x, int y, int label) {
        for (int d = 1; d <= OUTLINE; d++) {
            if (x - d < 0 || labels[y * width + x - d] != label
                    || x + d >= width || labels[y * width + x + d] != label
                    || y - d < 0 || labels[(y - d) * width + x] != label
                    || y + d >= height || labels[(y + d) * width + x] != label) {
                return true;
            }
        }
        return false;
    }
}

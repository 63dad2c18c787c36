package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;
import java.util.List;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.canvas.CanvasRenderingContext2D;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The image viewer: one canvas the size of its box times devicePixelRatio, so it is sharp on
 * high-DPI screens at any zoom. The image and the mask fill (an offscreen canvas at the mask's
 * own resolution) are drawn through the view transform; the outline (polygons traced on the
 * decoder's logits, in image pixels), points and box are drawn in screen space with constant
 * line widths, so they stay crisp however far one zooms.
 */
final class CanvasView {
    private static final double MIN_SCALE = 0.02;
    private static final double MAX_SCALE = 64;
    private static final int FILL_ALPHA = 110;
    private static final int HOVER_ALPHA = 70;

    private final JSObject box; // the element the canvas fills
    private final JSObject canvas;
    private final CanvasRenderingContext2D context;
    private final JSObject maskCanvas = Browser.createCanvas(1, 1);
    private final JSObject maskContext = Browser.context2d(maskCanvas);
    private byte[] rgba = new byte[0];

    private JSObject image;
    private int imageWidth;
    private int imageHeight;
    private double scale = 1; // CSS px per image px
    private double offsetX; // CSS px of image x = 0 inside the box
    private double offsetY;
    private double dpr = 1;
    private boolean userZoomed;

    private BinaryMask mask;
    private Runnable maskGridListener = () -> { };
    private boolean maskEmpty = true;
    private List<float[]> outline = List.of(); // rings of x, y in image pixels
    private boolean maskIsHover;
    private Prompt prompt = Prompt.empty();
    private double[] dragBox; // (4) image px while dragging, or null
    private boolean framePending;
    private JSObject overlay; // image-size canvas drawn over everything else, or null
    private JSObject objectFills; // the other objects' fills (image aspect, any size), or null
    private List<ObjectShape> objectShapes = List.of();
    private int maskRgb = 0x1e90ff; // the current object's colour

    CanvasView(JSObject box, JSObject canvas) {
        this.box = box;
        this.canvas = canvas;
        this.context = context2d(canvas);
    }

    @JSBody(params = "canvas", script = "return canvas.getContext('2d');")
    private static native CanvasRenderingContext2D context2d(JSObject canvas);

    @JSBody(params = {"context", "on"}, script = "context.imageSmoothingEnabled = on;")
    private static native void setSmoothing(JSObject context, boolean on);

    @JSBody(params = {"context", "dash", "gap"}, script = "context.setLineDash(dash > 0 ? [dash, gap] : []);")
    private static native void setDash(JSObject context, double dash, double gap);

    boolean hasImage() {
        return image != null;
    }

    int imageWidth() {
        return imageWidth;
    }

    int imageHeight() {
        return imageHeight;
    }

    JSObject image() {
        return image;
    }

    void setImage(JSObject image, int width, int height) {
        this.image = image;
        this.imageWidth = width;
        this.imageHeight = height;
        this.mask = null;
        this.prompt = Prompt.empty();
        this.dragBox = null;
        this.overlay = null;
        this.objectFills = null;
        this.objectShapes = List.of();
        userZoomed = false;
        fit();
    }

    /**
     * Size of a mask grid with about one cell per device pixel at the current zoom (never finer
     * than the image, never a side longer than {@code longestSide}), same aspect as the image:
     * {width, height}. Masks are painted on it, so a click on a 12-megapixel photo costs what
     * the screen shows, not what the camera took.
     */
    int[] maskGrid(int longestSide) {
        double shrink = Math.min(1.0, scale * dpr);
        shrink = Math.min(shrink, (double) longestSide / Math.max(imageWidth, imageHeight));
        return new int[] {Math.max(1, (int) Math.round(imageWidth * shrink)),
                Math.max(1, (int) Math.round(imageHeight * shrink))};
    }

    /** Called (from a frame) when zoom or layout changed the grid a committed mask should be painted on. */
    void onMaskGridChange(Runnable listener) {
        maskGridListener = listener;
    }

    /**
     * Shows a mask (null for none) and its outline rings; the raster may be coarser than the
     * image (a hover preview at screen resolution).
     */
    void showMask(BinaryMask newMask, long area, List<float[]> rings, boolean hover) {
        mask = newMask;
        maskEmpty = newMask == null || area == 0;
        outline = newMask == null ? List.of() : rings;
        maskIsHover = hover;
        if (newMask != null) {
            paintFill(newMask, hover ? HOVER_ALPHA : FILL_ALPHA);
            // The grid the fill was painted on, for tests and tools.
            Browser.setAttribute(canvas, "data-fill-grid", newMask.width() + "x" + newMask.height());
        }
        requestRedraw();
    }

    /** The other objects (fills under the current mask, outlines and name tags), or none. */
    void showObjects(JSObject fills, List<ObjectShape> shapes) {
        objectFills = fills;
        objectShapes = shapes;
        requestRedraw();
    }

    /** The current object's colour (0xRRGGBB) for the next mask shown. */
    void setMaskColour(int rgb) {
        maskRgb = rgb;
    }

    /** An image-size canvas (the everything view) drawn over the image and mask, or null for none. */
    void showOverlay(JSObject overlayCanvas) {
        overlay = overlayCanvas;
        requestRedraw();
    }

    void showPrompt(Prompt promptToDraw) {
        prompt = promptToDraw;
        requestRedraw();
    }

    void showDragBox(double[] imageBox) {
        dragBox = imageBox;
        requestRedraw();
    }

    /** Image x of a pointer event's clientX. */
    double toImageX(double clientX) {
        return (clientX - Browser.clientLeft(canvas) - offsetX) / scale;
    }

    double toImageY(double clientY) {
        return (clientY - Browser.clientTop(canvas) - offsetY) / scale;
    }

    boolean containsImagePoint(double x, double y) {
        return x >= 0 && y >= 0 && x < imageWidth && y < imageHeight;
    }

    void fit() {
        userZoomed = false;
        layout();
    }

    /** Zooms by factor keeping the image point under (clientX, clientY) in place. */
    void zoomAt(double factor, double clientX, double clientY) {
        if (image == null) {
            return;
        }
        double ix = toImageX(clientX);
        double iy = toImageY(clientY);
        double newScale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale * factor));
        offsetX += (ix * scale) - (ix * newScale);
        offsetY += (iy * scale) - (iy * newScale);
        scale = newScale;
        userZoomed = true;
        requestRedraw();
    }

    void zoomCentered(double factor) {
        zoomAt(factor, Browser.clientLeft(canvas) + Browser.clientWidth(box) / 2,
                Browser.clientTop(canvas) + Browser.clientHeight(box) / 2);
    }

    void panBy(double dx, double dy) {
        offsetX += dx;
        offsetY += dy;
        userZoomed = true;
        requestRedraw();
    }

    double scale() {
        return scale;
    }

    /** Re-reads the box size and devicePixelRatio (window resize, browser zoom, new screen). */
    void layout() {
        double width = Browser.clientWidth(box);
        double height = Browser.clientHeight(box);
        dpr = Browser.devicePixelRatio();
        Browser.resizeCanvas(canvas, (int) Math.round(width * dpr), (int) Math.round(height * dpr));
        if (image != null && !userZoomed) {
            double margin = 16;
            scale = Math.min((width - 2 * margin) / imageWidth, (height - 2 * margin) / imageHeight);
            scale = Math.max(MIN_SCALE, Math.min(scale, 8));
            offsetX = (width - imageWidth * scale) / 2;
            offsetY = (height - imageHeight * scale) / 2;
        }
        requestRedraw();
    }

    void requestRedraw() {
        if (!framePending) {
            framePending = true;
            Browser.requestFrame(this::redraw);
        }
    }

    private void paintFill(BinaryMask m, int alpha) {
        int n = m.width() * m.height();
        if (rgba.length != n * 4) {
            rgba = new byte[n * 4];
        }
        byte[] in = m.pixels();
        byte r = (byte) (maskRgb >> 16);
        byte g = (byte) (maskRgb >> 8);
        byte b = (byte) maskRgb;
        byte a = (byte) alpha;
        for (int i = 0; i < n; i++) {
            int o = i * 4;
            if (in[i] != 0) {
                rgba[o] = r;
                rgba[o + 1] = g;
                rgba[o + 2] = b;
                rgba[o + 3] = a;
            } else {
                rgba[o] = 0;
                rgba[o + 1] = 0;
                rgba[o + 2] = 0;
                rgba[o + 3] = 0;
            }
        }
        Browser.resizeCanvas(maskCanvas, m.width(), m.height());
        Browser.putRgba(maskContext, Int8Array.copyFromJavaArray(rgba), m.width(), m.height());
    }

    private void redraw() {
        framePending = false;
        if (mask != null && !maskIsHover) {
            int[] grid = maskGrid(Integer.MAX_VALUE);
            if (grid[0] != mask.width() || grid[1] != mask.height()) {
                maskGridListener.run(); // repaints the fill on the new grid before this frame draws it
            }
        }
        // The view transform, readable by tests and tools that need to aim at image pixels.
        Browser.setAttribute(canvas, "data-scale", String.valueOf(scale));
        Browser.setAttribute(canvas, "data-offset-x", String.valueOf(offsetX));
        Browser.setAttribute(canvas, "data-offset-y", String.valueOf(offsetY));
        CanvasRenderingContext2D c = context;
        c.setTransform(1, 0, 0, 1, 0, 0);
        c.clearRect(0, 0, Browser.clientWidth(box) * dpr + 1, Browser.clientHeight(box) * dpr + 1);
        if (image == null) {
            return;
        }
        // Image space → device pixels.
        c.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * offsetX, dpr * offsetY);
        setSmoothing(c, scale * dpr < 2);
        Browser.drawImage(c, image, 0, 0, imageWidth, imageHeight);
        boolean othersShown = overlay == null; // the everything view shows only its own masks
        if (othersShown && objectFills != null) {
            setSmoothing(c, false);
            Browser.drawImage(c, objectFills, 0, 0, imageWidth, imageHeight);
        }
        if (mask != null && !maskEmpty) {
            setSmoothing(c, false);
            Browser.drawImage(c, maskCanvas, 0, 0, imageWidth, imageHeight);
        }
        if (overlay != null) {
            setSmoothing(c, false);
            Browser.drawImage(c, overlay, 0, 0, imageWidth, imageHeight);
        }
        // Screen space (CSS px) for constant-width strokes.
        c.setTransform(dpr, 0, 0, dpr, 0, 0);
        if (othersShown) {
            for (ObjectShape shape : objectShapes) {
                strokeRings(c, shape.rings(), shape.colour(), 2);
            }
        }
        if (mask != null && !maskEmpty) {
            strokeOutline(c);
        }
        if (othersShown) {
            for (ObjectShape shape : objectShapes) {
                drawTag(c, shape);
            }
        }
        drawPrompt(c);
    }

    private void strokeOutline(CanvasRenderingContext2D c) {
        traceRings(c, outline);
        c.setLineCap("round");
        c.setLineJoin("round");
        setDash(c, 0, 0);
        c.setStrokeStyle("rgba(8, 20, 40, 0.65)");
        c.setLineWidth(3);
        c.stroke();
        c.setStrokeStyle(maskIsHover ? "rgba(255, 255, 255, 0.75)" : "#ffffff");
        c.setLineWidth(maskIsHover ? 1.25 : 2);
        c.stroke();
    }

    /** The rings (image pixels, x y pairs) as one path in canvas pixels, each ring closed. */
    private void traceRings(CanvasRenderingContext2D c, List<float[]> rings) {
        c.beginPath();
        for (float[] ring : rings) {
            c.moveTo(offsetX + ring[0] * scale, offsetY + ring[1] * scale);
            for (int i = 2; i < ring.length; i += 2) {
                c.lineTo(offsetX + ring[i] * scale, offsetY + ring[i + 1] * scale);
            }
            c.closePath();
        }
    }

    private void strokeRings(CanvasRenderingContext2D c, List<float[]> rings, String colour, double width) {
        if (rings.isEmpty()) {
            return;
        }
        traceRings(c, rings);
        c.setLineCap("round");
        c.setLineJoin("round");
        setDash(c, 0, 0);
        c.setStrokeStyle("rgba(8, 20, 40, 0.55)");
        c.setLineWidth(width + 2);
        c.stroke();
        c.setStrokeStyle(colour);
        c.setLineWidth(width);
        c.stroke();
    }

    /** The object's name on a tag in its colour at its box's top-left; the current object's tag is ringed white. */
    private void drawTag(CanvasRenderingContext2D c, ObjectShape shape) {
        c.setFont("600 12px system-ui, sans-serif");
        double textWidth = c.measureText(shape.name()).getWidth();
        double w = textWidth + 10;
        double h = 18;
        double x = Math.max(2, offsetX + shape.tagX() * scale);
        double y = Math.max(2, offsetY + shape.tagY() * scale - h - 2);
        c.setFillStyle(shape.colour());
        c.fillRect(x, y, w, h);
        if (shape.selected()) {
            c.setLineWidth(2);
            c.setStrokeStyle("#ffffff");
            c.strokeRect(x, y, w, h);
        }
        c.setFillStyle("#ffffff");
        c.setTextBaseline("middle");
        c.fillText(shape.name(), x + 5, y + h / 2 + 0.5);
    }

    private void drawPrompt(CanvasRenderingContext2D c) {
        float[] b = prompt.box();
        if (b != null) {
            drawBox(c, b[0], b[1], b[2], b[3], false);
        }
        if (dragBox != null) {
            drawBox(c, dragBox[0], dragBox[1], dragBox[2], dragBox[3], true);
        }
        for (int i = 0; i < prompt.pointCount(); i++) {
            double x = offsetX + prompt.pointX(i) * scale;
            double y = offsetY + prompt.pointY(i) * scale;
            boolean positive = prompt.pointLabel(i) == Prompt.FOREGROUND;
            c.beginPath();
            c.arc(x, y, 6, 0, Math.PI * 2);
            c.setFillStyle(positive ? "#16a34a" : "#dc2626");
            c.fill();
            c.setLineWidth(2);
            c.setStrokeStyle("#ffffff");
            c.stroke();
            c.beginPath();
            c.moveTo(x - 3, y);
            c.lineTo(x + 3, y);
            if (positive) {
                c.moveTo(x, y - 3);
                c.lineTo(x, y + 3);
            }
            c.setLineWidth(1.5);
            c.stroke();
        }
    }

    private void drawBox(CanvasRenderingContext2D c, double x0, double y0, double x1, double y1, boolean dragging) {
        double left = offsetX + Math.min(x0, x1) * scale;
        double top = offsetY + Math.min(y0, y1) * scale;
        double w = Math.abs(x1 - x0) * scale;
        double h = Math.abs(y1 - y0) * scale;
        setDash(c, 6, 4);
        c.setLineWidth(2);
        c.setStrokeStyle("rgba(8, 20, 40, 0.6)");
        c.strokeRect(left + 0.5, top + 0.5, w, h);
        c.setStrokeStyle(dragging ? "#facc15" : "#fbbf24");
        c.strokeRect(left, top, w, h);
        setDash(c, 0, 0);
    }
}

package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import clickseg.web.session.ObjectPalette;
import clickseg.web.session.SegmentObject;
import clickseg.web.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * Every object of the image but the current one, as the canvas shows them: each visible object's fill
 * in its colour on one offscreen canvas (at most {@link #GRID_LIMIT} px on its long side: the objects
 * under the one being edited need not be sharper than that), its outline and its name tag. The
 * current object is drawn by {@link MaskLayer} on top, in its colour, highlighted; hidden objects are
 * not drawn. Repainted only when an object, its mask or the selection changed.
 */
final class ObjectsLayer {
    private static final int GRID_LIMIT = 1536;
    private static final int TRACE_LIMIT = 2048;
    private static final int FILL_ALPHA = 95;

    private final JSObject canvas = Browser.createCanvas(1, 1);
    private final JSObject context = Browser.context2d(canvas);
    private final Map<BinaryMask, List<float[]>> traced = new HashMap<>(); // identity keys: masks are never equal
    private final Map<BinaryMask, int[]> boxes = new HashMap<>();
    private final List<Object> painted = new ArrayList<>(); // what the canvas shows: (mask, colour, hidden, selected)…
    private List<ObjectShape> shapes = List.of();
    private boolean anyFill;
    private byte[] rgba = new byte[0];

    /** A new image: nothing cached of the old one. */
    void reset() {
        traced.clear();
        boxes.clear();
        painted.clear();
        shapes = List.of();
        anyFill = false;
    }

    /** The offscreen canvas to draw over the image (image-size aspect), or null when no other object shows. */
    JSObject canvas() {
        return anyFill ? canvas : null;
    }

    List<ObjectShape> shapes() {
        return shapes;
    }

    /** Brings the layer up to date with the session's objects; cheap when nothing changed. */
    void update(Session session, int imageWidth, int imageHeight) {
        List<SegmentObject> objects = session.objects();
        List<Object> now = new ArrayList<>();
        List<ObjectShape> nextShapes = new ArrayList<>();
        for (SegmentObject object : objects) {
            BinaryMask mask = session.maskOf(object);
            boolean selected = object == session.selected();
            now.add(mask);
            now.add(object.colour);
            now.add(object.isHidden());
            now.add(selected);
            now.add(object.displayName());
            if (mask == null || object.isHidden()) {
                continue;
            }
            int[] box = boxes.computeIfAbsent(mask, BinaryMask::boundingBox);
            List<float[]> rings = selected ? List.of() : traced.computeIfAbsent(mask,
                    m -> MaskPolygon.traceMask(m, TRACE_LIMIT));
            nextShapes.add(new ObjectShape(object.id, rings, ObjectPalette.css(object.colour), object.displayName(),
                    box[0], box[1], selected));
        }
        if (sameAs(now)) {
            return;
        }
        painted.clear();
        painted.addAll(now);
        shapes = nextShapes;
        paint(session, objects, imageWidth, imageHeight);
    }

    private boolean sameAs(List<Object> now) {
        if (now.size() != painted.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            Object a = now.get(i);
            Object b = painted.get(i);
            if (a instanceof BinaryMask || b instanceof BinaryMask || a == null || b == null ? a != b : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    private void paint(Session session, List<SegmentObject> objects, int imageWidth, int imageHeight) {
        double shrink = Math.min(1.0, (double) GRID_LIMIT / Math.max(imageWidth, imageHeight));
        int gw = Math.max(1, (int) Math.round(imageWidth * shrink));
        int gh = Math.max(1, (int) Math.round(imageHeight * shrink));
        if (rgba.length != gw * gh * 4) {
            rgba = new byte[gw * gh * 4];
        } else {
            java.util.Arrays.fill(rgba, (byte) 0);
        }
        anyFill = false;
        for (SegmentObject object : objects) {
            BinaryMask mask = session.maskOf(object);
            if (mask == null || object.isHidden() || object == session.selected()) {
                continue;
            }
            anyFill = true;
            int rgb = ObjectPalette.rgb(object.colour);
            byte r = (byte) (rgb >> 16);
            byte g = (byte) (rgb >> 8);
            byte b = (byte) rgb;
            int[] box = boxes.computeIfAbsent(mask, BinaryMask::boundingBox); // x, y, width, height
            int gx0 = (int) Math.floor(box[0] * shrink);
            int gy0 = (int) Math.floor(box[1] * shrink);
            int gx1 = Math.min(gw, (int) Math.ceil((box[0] + box[2]) * shrink) + 1);
            int gy1 = Math.min(gh, (int) Math.ceil((box[1] + box[3]) * shrink) + 1);
            byte[] pixels = mask.pixels();
            int mw = mask.width();
            int mh = mask.height();
            for (int gy = gy0; gy < gy1; gy++) {
                int my = Math.min(mh - 1, (int) ((gy + 0.5) * mh / gh));
                for (int gx = gx0; gx < gx1; gx++) {
                    int mx = Math.min(mw - 1, (int) ((gx + 0.5) * mw / gw));
                    if (pixels[my * mw + mx] != 0) {
                        int o = (gy * gw + gx) * 4;
                        rgba[o] = r;
                        rgba[o + 1] = g;
                        rgba[o + 2] = b;
                        rgba[o + 3] = (byte) FILL_ALPHA;
                    }
                }
            }
        }
        Browser.resizeCanvas(canvas, gw, gh);
        if (anyFill) {
            Browser.putRgba(context, Int8Array.copyFromJavaArray(rgba), gw, gh);
        }
    }
}

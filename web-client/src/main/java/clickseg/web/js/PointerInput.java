package clickseg.web.js;

import clickseg.web.session.Session;
import org.teavm.jso.JSObject;

/**
 * Pointer and keyboard on the image, turned into session calls: a click is a point (right button,
 * Alt or the Exclude toggle make it negative), a drag past a few pixels is a box, a middle-button or
 * Shift drag pans, the pointer resting on the image previews (mouse only: touch has no hover), and
 * in the everything view pointing highlights and clicking picks. Keys are {@link KeyboardShortcuts}'.
 */
final class PointerInput {
    /** Movement (CSS px) that turns a press into a box drag. */
    private static final double DRAG_THRESHOLD = 5;

    private final Session session;
    private final CanvasView view;
    private final EverythingView everything;
    private final JSObject canvas;
    private boolean negativeMode;
    private boolean pressed;
    private boolean dragging;
    private boolean panning;
    private int pressButton;
    private double pressClientX;
    private double pressClientY;
    private double lastClientX;
    private double lastClientY;

    PointerInput(Session session, CanvasView view, EverythingView everything, JSObject canvas) {
        this.session = session;
        this.view = view;
        this.everything = everything;
        this.canvas = canvas;
    }

    void wire() {
        Browser.listen(canvas, "pointerdown", this::pointerDown);
        Browser.listen(canvas, "pointermove", this::pointerMove);
        Browser.listen(canvas, "pointerup", this::pointerUp);
        Browser.listen(canvas, "pointercancel", event -> endPress());
        Browser.listen(canvas, "pointerleave", event -> leaveCanvas());
        Browser.listen(canvas, "contextmenu", Browser::preventDefault);
        Browser.listen(canvas, "wheel", event -> {
            Browser.preventDefault(event);
            double delta = Browser.number(event, "deltaY");
            view.zoomAt(Math.exp(-delta * 0.0015), Browser.number(event, "clientX"), Browser.number(event, "clientY"));
        });
    }

    void setNegativeMode(boolean negative) {
        negativeMode = negative;
        Browser.setAttribute(Browser.byId("mode-positive"), "aria-pressed", negative ? "false" : "true");
        Browser.setAttribute(Browser.byId("mode-negative"), "aria-pressed", negative ? "true" : "false");
    }

    private void pointerDown(JSObject event) {
        if (session.mode() == Session.Mode.NO_IMAGE) {
            return;
        }
        int button = (int) Browser.number(event, "button");
        pressClientX = Browser.number(event, "clientX");
        pressClientY = Browser.number(event, "clientY");
        lastClientX = pressClientX;
        lastClientY = pressClientY;
        Browser.capturePointer(canvas, (int) Browser.number(event, "pointerId"));
        Browser.preventDefault(event);
        Browser.focus(canvas); // the keys (Tab through objects) then act on the image
        if (button == 1 || (button == 0 && Browser.flag(event, "shiftKey"))) {
            panning = true;
            return;
        }
        if (!everything.isShown() && !session.isDecoderReady()) {
            return;
        }
        pressed = true;
        dragging = false;
        pressButton = button;
        session.stopHover();
    }

    private void pointerMove(JSObject event) {
        double clientX = Browser.number(event, "clientX");
        double clientY = Browser.number(event, "clientY");
        if (panning) {
            view.panBy(clientX - lastClientX, clientY - lastClientY);
            lastClientX = clientX;
            lastClientY = clientY;
            return;
        }
        lastClientX = clientX;
        lastClientY = clientY;
        if (everything.isActive()) {
            if (!pressed) {
                everything.hoverAt(view.toImageX(clientX), view.toImageY(clientY));
            }
            return;
        }
        if (pressed) {
            if (!dragging && pressButton == 0
                    && Math.hypot(clientX - pressClientX, clientY - pressClientY) > DRAG_THRESHOLD) {
                dragging = true;
            }
            if (dragging) {
                view.showDragBox(clampedBox(clientX, clientY));
            }
            return;
        }
        if (!"mouse".equals(Browser.string(event, "pointerType"))) {
            return; // a finger or pen moving is not resting over something
        }
        double x = view.toImageX(clientX);
        double y = view.toImageY(clientY);
        if (view.containsImagePoint(x, y)) {
            session.hoverAt((float) x, (float) y);
        } else {
            session.stopHover();
        }
    }

    private void pointerUp(JSObject event) {
        if (panning) {
            panning = false;
            return;
        }
        if (!pressed) {
            return;
        }
        double clientX = Browser.number(event, "clientX");
        double clientY = Browser.number(event, "clientY");
        if (everything.isActive()) {
            boolean primary = pressButton == 0;
            endPress();
            if (primary) {
                everything.pickAt(view.toImageX(clientX), view.toImageY(clientY));
            }
            return;
        }
        if (dragging) {
            double[] box = clampedBox(clientX, clientY);
            view.showDragBox(null);
            if (box[2] - box[0] >= 1 && box[3] - box[1] >= 1) {
                session.box((float) box[0], (float) box[1], (float) box[2], (float) box[3]);
            }
        } else {
            double x = view.toImageX(clientX);
            double y = view.toImageY(clientY);
            if (view.containsImagePoint(x, y)) {
                boolean negative = pressButton == 2 || Browser.flag(event, "altKey") || negativeMode;
                session.click((float) x, (float) y, negative);
            }
        }
        endPress();
    }

    boolean isPressed() {
        return pressed;
    }

    /** Esc during a press: the drag (or click) is dropped. */
    void cancelPress() {
        endPress();
    }

    private void endPress() {
        pressed = false;
        dragging = false;
        panning = false;
        view.showDragBox(null);
    }

    private void leaveCanvas() {
        if (everything.isShown() && !pressed) {
            everything.hoverAt(-1, -1);
        }
        if (!pressed) {
            session.stopHover();
        }
    }

    private double[] clampedBox(double clientX, double clientY) {
        double x0 = clamp(view.toImageX(pressClientX), view.imageWidth());
        double y0 = clamp(view.toImageY(pressClientY), view.imageHeight());
        double x1 = clamp(view.toImageX(clientX), view.imageWidth());
        double y1 = clamp(view.toImageY(clientY), view.imageHeight());
        return new double[] {Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)};
    }

    private static double clamp(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }
}

package clickseg.web.js;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.web.session.Session;
import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.JSObject;

/**
 * The "Everything" button: asks the server for every object's mask (a 16×16 point grid: about ten
 * seconds on a small CPU, where 32×32 takes several times that), shows them all over the image
 * (instead of the current step's box, outline and candidates), and a click picks one as the current
 * mask. A second press, or Esc, leaves (abandoning an answer still on its way).
 */
final class EverythingView {
    private final Session session;
    private final CanvasView view;
    private final StatusBar status;
    private final Runnable restoreStage;
    private final JSObject viewer = Browser.byId("viewer");
    private final EverythingLayer layer = new EverythingLayer();
    private boolean shown;
    private boolean pending;
    private int request; // bumped to abandon an answer still in flight
    private int hovered = -1;

    EverythingView(Session session, CanvasView view, StatusBar status, Runnable restoreStage) {
        this.session = session;
        this.view = view;
        this.status = status;
        this.restoreStage = restoreStage;
    }

    /** Finding or showing: pointer input belongs to this view. */
    boolean isActive() {
        return shown || pending;
    }

    boolean isShown() {
        return shown;
    }

    void toggle(String imageId) {
        if (isActive()) {
            leave();
            return;
        }
        if (session.mode() == Session.Mode.NO_IMAGE) {
            return;
        }
        int mine = ++request;
        pending = true;
        status.hideError();
        session.enterEverything();
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "true");
        Browser.setAttribute(viewer, "data-everything", "finding");
        status.stage("everything", "Finding every object…", -1);
        Browser.postJson("/api/images/" + StatusBar.encodeComponent(imageId) + "/everything", "{\"pointsPerSide\":16}",
                (code, body) -> {
                    if (mine != request) {
                        return;
                    }
                    pending = false;
                    restoreStage.run();
                    if (code < 200 || code >= 300) {
                        leave();
                        status.error("Finding every object failed: " + StatusBar.serverFailure(code, body));
                        return;
                    }
                    List<BinaryMask> found = masksOf(Browser.parseJson(body));
                    if (found == null) {
                        leave();
                        status.error("The server's list of objects was not understood.");
                        return;
                    }
                    show(found);
                });
    }

    /** The answer's masks as image-size masks, largest first as sent; null when malformed. */
    private List<BinaryMask> masksOf(JSObject answer) {
        if (answer == null || !Browser.has(answer, "masks")) {
            return null;
        }
        JSObject list = Browser.object(answer, "masks");
        int n = Browser.arrayLength(list);
        List<BinaryMask> found = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                JSObject segmentation = Browser.object(Browser.at(list, i), "segmentation");
                found.add(RunLengthEncoding.decode(Browser.string(segmentation, "counts"),
                        view.imageWidth(), view.imageHeight()));
            }
        } catch (RuntimeException malformed) {
            Browser.logError("everything: " + malformed.getMessage());
            return null;
        }
        return found;
    }

    private void show(List<BinaryMask> found) {
        layer.setMasks(found, view.imageWidth(), view.imageHeight());
        shown = true;
        hovered = -1;
        // Only the found masks: the current step's box, outline and fill would be drawn under them.
        view.showPrompt(Prompt.empty());
        view.showMask(null, 0, null, false);
        view.showOverlay(layer.paint(-1));
        Browser.setAttribute(viewer, "data-everything", "shown");
        Browser.setAttribute(viewer, "data-everything-count", String.valueOf(found.size()));
        status.info("info-mask", found.size() + (found.size() == 1 ? " object" : " objects")
                + " found · pick one");
    }

    /** Back to the current step as it was. */
    void leave() {
        request++;
        boolean wasActive = isActive();
        shown = false;
        pending = false;
        hovered = -1;
        view.showOverlay(null);
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "false");
        Browser.removeAttribute(viewer, "data-everything");
        Browser.removeAttribute(viewer, "data-everything-count");
        Browser.removeAttribute(viewer, "data-everything-hover");
        if (wasActive) {
            restoreStage.run();
            session.leaveEverything(); // the page redraws the current step on the mode change
        }
    }

    void hoverAt(double x, double y) {
        int label = shown ? layer.labelAt(x, y) : -1;
        if (label != hovered) {
            hovered = label;
            if (shown) {
                view.showOverlay(layer.paint(label));
            }
            Browser.setAttribute(viewer, "data-everything-hover", String.valueOf(label));
        }
    }

    /** Picks the mask under (x, y), if any, as the current mask (an undoable step). */
    void pickAt(double x, double y) {
        int label = shown ? layer.labelAt(x, y) : -1;
        if (label < 0) {
            return;
        }
        BinaryMask chosen = layer.mask(label);
        BinaryMask copy = new BinaryMask(chosen.width(), chosen.height(), chosen.pixels().clone());
        leave();
        session.pickFromEverything(copy);
        Browser.setAttribute(viewer, "data-everything-selected", String.valueOf(label));
    }
}

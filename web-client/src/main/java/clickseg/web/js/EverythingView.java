package clickseg.web.js;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.web.session.Session;
import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.JSObject;

/**
 * The "Everything" button: asks the server for every object's mask (a 16×16 point grid), shows them
 * all over the image (instead of the current step's box, outline and candidates), and a click picks
 * one as the current mask. The server answers at once when it has the result cached, else with a job
 * that the view follows (a GET every {@link #POLL_MILLIS} ms): the status line says "Finding
 * objects… N%" over a progress bar, and the masks kept so far are drawn as they come. A second press,
 * or Esc, leaves; leaving, or opening another image, stops following, and cancels a job still under
 * way (so that it does not hold the server's job slot for a picture nobody looks at any more).
 */
final class EverythingView {
    /** Between polls of a job: a few per second, so the bar moves smoothly without flooding the server. */
    static final int POLL_MILLIS = 300;

    private final Session session;
    private final CanvasView view;
    private final StatusBar status;
    private final Runnable restoreStage;
    private final JSObject viewer = Browser.byId("viewer");
    private final EverythingLayer layer = new EverythingLayer();
    private boolean shown;
    private boolean pending;
    private int request; // bumped to abandon an answer or a job still in flight
    private int hovered = -1;
    private String jobUrl; // the job being followed, until it ends
    private String drawnSignature = ""; // what the layer shows while finding, to redraw only on change
    // Boxes (x, y, w, h) of the masks seen since the view was entered, and their palette entries: masks
    // arrive, reorder (largest first) and are replaced by better duplicates while a job runs, and an
    // object whose colour changed at each poll would flicker. An object is recognised by its box.
    private final List<double[]> seenBoxes = new ArrayList<>();
    private final List<Integer> seenColours = new ArrayList<>();
    /** Boxes overlapping this much (IoU) are the same object for its colour. */
    private static final double SAME_BOX_IOU = 0.8;

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
        // From the start, only what this view finds: no box, outline or fill of the current step.
        seenBoxes.clear();
        seenColours.clear();
        layer.setMasks(List.of(), new int[0], view.imageWidth(), view.imageHeight());
        drawnSignature = "";
        view.showPrompt(Prompt.empty());
        view.showMask(null, 0, null, false);
        view.showOverlay(null);
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "true");
        Browser.setAttribute(viewer, "data-everything", "finding");
        Browser.setAttribute(viewer, "data-everything-progress", "0");
        status.stage("everything", "Finding objects…", -1);
        status.clearMaskInfo(); // the current step's mask line and decode time are not what is shown
        Browser.postJson("/api/images/" + StatusBar.encodeComponent(imageId) + "/everything", "{\"pointsPerSide\":16}",
                (code, body) -> {
                    if (mine != request) {
                        return;
                    }
                    JSObject answer = Browser.parseJson(body);
                    if (code == 202 && answer != null && Browser.has(answer, "url")) {
                        jobUrl = Browser.string(answer, "url");
                        follow(mine, answer);
                        return;
                    }
                    if (code < 200 || code >= 300) {
                        fail("Finding every object failed: " + StatusBar.serverFailure(code, body));
                        return;
                    }
                    finish(answer);
                });
    }

    /** One state of the job: progress, masks so far, or its end; then the next poll unless it ended. */
    private void follow(int mine, JSObject job) {
        String state = Browser.string(job, "status");
        if ("done".equals(state)) {
            jobUrl = null;
            finish(Browser.object(job, "result"));
            return;
        }
        if (!"queued".equals(state) && !"running".equals(state)) {
            jobUrl = null;
            fail("Finding every object " + ("cancelled".equals(state) ? "was cancelled" : "failed") + ": "
                    + (Browser.has(job, "message") ? Browser.string(job, "message") : state));
            return;
        }
        if ("queued".equals(state)) {
            status.stage("everything", "Finding objects… waiting for the server (" + (int) Browser.number(job, "position")
                    + " in line)", -1);
        } else {
            int percent = (int) Browser.number(Browser.object(job, "progress"), "percent");
            status.stage("everything", "Finding objects… " + percent + "%", percent);
            Browser.setAttribute(viewer, "data-everything-progress", String.valueOf(percent));
            drawSoFar(job);
        }
        Browser.setTimeout(() -> {
            if (mine != request) {
                return;
            }
            Browser.fetchText(jobUrl, (code, body) -> {
                if (mine != request) {
                    return;
                }
                JSObject next = Browser.parseJson(body);
                if (code != 200 || next == null || !Browser.has(next, "status")) {
                    jobUrl = null;
                    fail("Finding every object failed: " + StatusBar.serverFailure(code, body));
                    return;
                }
                follow(mine, next);
            });
        }, POLL_MILLIS);
    }

    /** The masks the job has kept so far, drawn when they changed. */
    private void drawSoFar(JSObject job) {
        if (!Browser.has(job, "masks")) {
            return;
        }
        JSObject list = Browser.object(job, "masks");
        StringBuilder signature = new StringBuilder();
        int n = Browser.arrayLength(list);
        for (int i = 0; i < n; i++) {
            signature.append((long) Browser.number(Browser.at(list, i), "area")).append(',');
        }
        if (signature.toString().equals(drawnSignature)) {
            return;
        }
        List<BinaryMask> found = masksOf(job);
        if (found == null) {
            return; // a malformed partial answer: the final one decides
        }
        drawnSignature = signature.toString();
        layer.setMasks(found, colours(list), view.imageWidth(), view.imageHeight());
        hovered = -1;
        view.showOverlay(layer.paint(-1));
        Browser.setAttribute(viewer, "data-everything-count", String.valueOf(found.size()));
        status.info("info-mask", found.size() + (found.size() == 1 ? " object" : " objects") + " so far");
    }

    private void finish(JSObject result) {
        pending = false;
        restoreStage.run();
        List<BinaryMask> found = masksOf(result);
        if (found == null) {
            leave();
            status.error("The server's list of objects was not understood.");
            return;
        }
        show(found, colours(Browser.object(result, "masks")));
    }

    /** The palette entry of each listed mask: that of the object with nearly the same box seen before, else a new one. */
    private int[] colours(JSObject list) {
        int n = Browser.arrayLength(list);
        int[] colour = new int[n];
        for (int i = 0; i < n; i++) {
            JSObject bbox = Browser.object(Browser.at(list, i), "bbox");
            double[] box = new double[4];
            for (int k = 0; k < 4; k++) {
                box[k] = Browser.arrayLength(bbox) == 4 ? Browser.numberAt(bbox, k) : 0;
            }
            int known = -1;
            for (int j = 0; j < seenBoxes.size() && known < 0; j++) {
                if (boxIou(box, seenBoxes.get(j)) >= SAME_BOX_IOU) {
                    known = seenColours.get(j); // the first box seen stays the object's: no drift
                }
            }
            if (known < 0) {
                known = seenBoxes.size();
                seenBoxes.add(box);
                seenColours.add(known);
            }
            colour[i] = known;
        }
        return colour;
    }

    /** IoU of two (x, y, w, h) boxes. */
    private static double boxIou(double[] a, double[] b) {
        double w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
        double h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
        double intersection = w > 0 && h > 0 ? w * h : 0;
        double union = a[2] * a[3] + b[2] * b[3] - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    private void fail(String message) {
        pending = false;
        restoreStage.run();
        leave();
        status.error(message);
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

    private void show(List<BinaryMask> found, int[] colour) {
        layer.setMasks(found, colour, view.imageWidth(), view.imageHeight());
        shown = true;
        hovered = -1;
        // Only the found masks: the current step's box, outline and fill would be drawn under them.
        view.showPrompt(Prompt.empty());
        view.showMask(null, 0, null, false);
        view.showOverlay(layer.paint(-1));
        Browser.setAttribute(viewer, "data-everything", "shown");
        Browser.setAttribute(viewer, "data-everything-progress", "100");
        Browser.setAttribute(viewer, "data-everything-count", String.valueOf(found.size()));
        status.info("info-mask", found.size() + (found.size() == 1 ? " object" : " objects")
                + " found · pick one");
    }

    /** Back to the current step as it was; a job still under way is cancelled. */
    void leave() {
        request++;
        if (jobUrl != null) {
            Browser.deleteQuietly(jobUrl);
            jobUrl = null;
        }
        boolean wasActive = isActive();
        shown = false;
        pending = false;
        hovered = -1;
        view.showOverlay(null);
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "false");
        Browser.removeAttribute(viewer, "data-everything");
        Browser.removeAttribute(viewer, "data-everything-count");
        Browser.removeAttribute(viewer, "data-everything-progress");
        Browser.removeAttribute(viewer, "data-everything-hover");
        if (wasActive) {
            restoreStage.run();
            session.leaveEverything(); // the page redraws the current step on the mode change
        }
    }

    void hoverAt(double x, double y) {
        int label = layer.count() > 0 ? layer.labelAt(x, y) : -1;
        if (label != hovered) {
            hovered = label;
            if (layer.count() > 0) {
                view.showOverlay(layer.paint(label));
            }
            Browser.setAttribute(viewer, "data-everything-hover", String.valueOf(label));
        }
    }

    /** Picks the mask under (x, y), if any, as the current mask (an undoable step); also while still finding. */
    void pickAt(double x, double y) {
        int label = layer.count() > 0 ? layer.labelAt(x, y) : -1;
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

package clickseg.web.js;

import clickseg.web.session.DecodedMasks;
import clickseg.web.session.FirstClickChoice;
import clickseg.web.session.Session;
import org.teavm.jso.JSObject;

/**
 * The row above the image: after a lone click or box, SAM's three masks as chips (each with the share
 * of the image it covers; the shown one pressed); otherwise a one-line hint. The row is always there
 * and always one line high, so the image under the pointer never moves when the chips come and go.
 */
final class CandidateBar {
    private final Session session;
    private final JSObject list = Browser.byId("candidates");
    private final JSObject hint = Browser.byId("candidate-hint");
    private final JSObject label = Browser.byId("candidate-label");

    CandidateBar(Session session) {
        this.session = session;
    }

    void render() {
        Browser.removeChildren(list);
        // the everything view shows its own masks only: the current step's chips wait until it is left
        boolean show = session.offersCandidates() && session.mode() != Session.Mode.PICKING_FROM_EVERYTHING;
        Browser.setHidden(label, !show);
        Browser.setHidden(hint, show);
        JSObject bar = Browser.byId("candidate-bar");
        Browser.setAttribute(bar, "data-candidates", show ? "3" : "0");
        Browser.setHidden(bar, session.mode() == Session.Mode.NO_IMAGE); // no image yet: nothing to hold still
        if (!show) {
            Browser.setText(hint, hintText());
            return;
        }
        DecodedMasks result = session.currentMasks();
        double[] share = FirstClickChoice.areaFractions(result, session.transform());
        for (int i = 1; i < DecodedMasks.MASKS; i++) {
            final int index = i;
            JSObject chip = Browser.createElement("button", "chip");
            Browser.setAttribute(chip, "type", "button");
            Browser.setAttribute(chip, "data-index", String.valueOf(i));
            Browser.setAttribute(chip, "data-iou", StatusBar.iou(result.iou[i]));
            Browser.setAttribute(chip, "data-share", StatusBar.percent(share[i]));
            Browser.setAttribute(chip, "aria-pressed", result.chosen() == i ? "true" : "false");
            Browser.setText(chip, "Mask " + i + " · " + StatusBar.percent(share[i]));
            Browser.setAttribute(chip, "title", StatusBar.percent(share[i]) + " of the image, predicted IoU "
                    + StatusBar.iou(result.iou[i]) + ", stability " + StatusBar.iou(result.stability[i])
                    + (result.chosen() == i ? " (shown)" : ""));
            Browser.listen(chip, "click", event -> session.choose(index));
            Browser.append(list, chip);
        }
    }

    private String hintText() {
        boolean touch = Browser.coarsePointer();
        String tap = touch ? "Tap" : "Click";
        switch (session.mode()) {
            case NO_IMAGE:
                return "";
            case PICKING_FROM_EVERYTHING:
                return tap + " an object to pick it";
            case VIEWING_SHARE:
                return "A shared mask · " + tap.toLowerCase() + " to go on from it";
            default:
                if (!session.hasMask()) {
                    return tap + " the object · drag a box around it";
                }
                return touch ? "Tap to add · − Exclude, then tap, to remove"
                        : "Click to add · right-click or Alt+click to remove";
        }
    }
}

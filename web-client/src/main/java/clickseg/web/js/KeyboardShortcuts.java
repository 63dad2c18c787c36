package clickseg.web.js;

import clickseg.web.session.Session;
import org.teavm.jso.JSObject;

/**
 * The page's keys, turned into session calls: N new object, Enter finish it, Delete delete it,
 * Tab / Shift+Tab next / previous object (while the focus is on the image, not in the toolbar), 1-9
 * a recent label, L name the object (its label field), I / E include / exclude, Z / Shift+Z and
 * Ctrl+Z / Ctrl+Y (Ctrl+Shift+Z) undo / redo, ? the list of keys, Esc leaves the everything view,
 * cancels a drag, closes the list, or clears. Keys typed into a field are text, not commands.
 */
final class KeyboardShortcuts {
    private final Session session;
    private final PointerInput pointer;
    private final EverythingView everything;
    private final ObjectsPanel panel;
    private final JSObject overlay = Browser.byId("shortcuts");

    KeyboardShortcuts(Session session, PointerInput pointer, EverythingView everything, ObjectsPanel panel) {
        this.session = session;
        this.pointer = pointer;
        this.everything = everything;
        this.panel = panel;
    }

    void wire() {
        Browser.listen(Browser.document(), "keydown", this::keyDown);
        Browser.listen(Browser.byId("shortcuts-close"), "click", event -> showShortcuts(false));
    }

    void showShortcuts(boolean show) {
        Browser.setHidden(overlay, !show);
        if (show) {
            Browser.focus(Browser.byId("shortcuts-close"));
        }
    }

    private void keyDown(JSObject event) {
        String key = Browser.string(event, "key");
        if (key == null || Browser.flag(event, "defaultPrevented") || Browser.isTyping(event)) {
            return;
        }
        boolean shortcutsOpen = !Browser.attributeFlag(overlay, "hidden");
        if (shortcutsOpen) {
            if ("Escape".equals(key) || "?".equals(key)) {
                Browser.preventDefault(event);
                showShortcuts(false);
            }
            return;
        }
        if (Browser.dialogOpen()) {
            return; // the share and export dialogs have their own keys
        }
        if ("?".equals(key)) {
            Browser.preventDefault(event);
            showShortcuts(true);
            return;
        }
        if (session.mode() == Session.Mode.NO_IMAGE) {
            return;
        }
        boolean command = Browser.flag(event, "ctrlKey") || Browser.flag(event, "metaKey");
        boolean shift = Browser.flag(event, "shiftKey");
        if (Browser.flag(event, "altKey")) {
            return;
        }
        if (command) {
            if ("z".equalsIgnoreCase(key)) {
                Browser.preventDefault(event);
                if (shift) {
                    session.redo();
                } else {
                    session.undo();
                }
            } else if ("y".equalsIgnoreCase(key)) {
                Browser.preventDefault(event);
                session.redo();
            }
            return;
        }
        if (everything.isActive()) {
            if ("Escape".equals(key)) {
                everything.leave();
            }
            return;
        }
        switch (key) {
            case "Escape":
                if (pointer.isPressed()) {
                    pointer.cancelPress();
                } else {
                    session.clear();
                }
                return;
            case "n":
            case "N":
                session.newObject();
                break;
            case "Enter":
                if (Browser.isButtonTarget(event)) {
                    return; // Enter on a focused button presses that button
                }
                session.finishObject();
                break;
            case "Delete":
            case "Backspace":
                if (session.selected() == null) {
                    return;
                }
                session.delete(session.selected().id);
                break;
            case "Tab":
                if (!Browser.isOnImage(event) || session.objects().isEmpty()) {
                    return; // elsewhere Tab moves the focus through the controls, as always
                }
                session.selectNext(shift ? -1 : 1);
                break;
            case "i":
            case "I":
                pointer.setNegativeMode(false);
                break;
            case "e":
            case "E":
                pointer.setNegativeMode(true);
                break;
            case "z":
                session.undo();
                break;
            case "Z":
                session.redo();
                break;
            case "l":
            case "L":
            case "F2":
                if (!panel.focusLabel()) {
                    return;
                }
                break;
            default:
                if (key.length() == 1 && key.charAt(0) >= '1' && key.charAt(0) <= '9') {
                    session.labelFromRecent(key.charAt(0) - '0');
                    break;
                }
                return;
        }
        Browser.preventDefault(event);
    }
}

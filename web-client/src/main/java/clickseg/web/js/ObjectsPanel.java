package clickseg.web.js;

import clickseg.web.session.ObjectPalette;
import clickseg.web.session.SegmentObject;
import clickseg.web.session.Session;
import java.util.List;
import org.teavm.jso.JSObject;

/**
 * The objects panel beside the image (below it on a phone): one row per object (its colour, its label
 * as an editable field, hide, move up and down, delete), the image's recent labels as chips that name
 * the current object, and buttons for a new object and for finishing the current one. Everything the
 * keyboard does has a button here, so a finger needs no keyboard.
 */
final class ObjectsPanel {
    private final Session session;
    private final JSObject panel = Browser.byId("objects-panel");
    private final JSObject list = Browser.byId("object-list");
    private final JSObject recent = Browser.byId("recent-labels");
    private final JSObject count = Browser.byId("object-count");

    ObjectsPanel(Session session) {
        this.session = session;
    }

    void wire(Runnable showShortcuts) {
        Browser.listen(Browser.byId("object-new"), "click", event -> session.newObject());
        Browser.listen(Browser.byId("object-done"), "click", event -> session.finishObject());
        Browser.listen(Browser.byId("shortcuts-button"), "click", event -> showShortcuts.run());
    }

    /** Puts the caret in the current object's label field (the L key); false when no object is selected. */
    boolean focusLabel() {
        SegmentObject selected = session.selected();
        if (selected == null) {
            return false;
        }
        JSObject field = Browser.querySelector(".object-label[data-object-id=\"" + selected.id + "\"]");
        if (field == null) {
            return false;
        }
        Browser.focus(field);
        return true;
    }

    void render() {
        Browser.setHidden(panel, session.mode() == Session.Mode.NO_IMAGE);
        // A label being typed survives a redraw (a decode may land mid-word): keep its text and focus.
        int typingIn = Browser.focusedLabelObject();
        String typed = typingIn >= 0 ? Browser.value(Browser.querySelector(".object-label[data-object-id=\""
                + typingIn + "\"]")) : null;
        Browser.removeChildren(list);
        List<SegmentObject> objects = session.objects();
        SegmentObject selected = session.selected();
        Browser.setText(count, objects.isEmpty() ? "" : String.valueOf(objects.size()));
        Browser.setAttribute(panel, "data-objects", String.valueOf(objects.size()));
        Browser.setAttribute(panel, "data-selected", selected == null ? "" : String.valueOf(selected.id));
        for (int i = 0; i < objects.size(); i++) {
            JSObject row = row(objects.get(i), objects.get(i) == selected, i, objects.size());
            Browser.append(list, row);
        }
        if (objects.isEmpty()) {
            JSObject empty = Browser.createElement("li", "object-empty");
            Browser.setText(empty, Browser.coarsePointer() ? "Tap an object in the image to start."
                    : "Click an object in the image to start.");
            Browser.append(list, empty);
        }
        if (typingIn >= 0) {
            JSObject field = Browser.querySelector(".object-label[data-object-id=\"" + typingIn + "\"]");
            if (field != null) {
                Browser.setValue(field, typed);
                Browser.focus(field);
            }
        }
        renderRecent(selected);
        Browser.setDisabled(Browser.byId("object-done"), selected == null);
    }

    private JSObject row(SegmentObject object, boolean isSelected, int index, int total) {
        int id = object.id;
        JSObject row = Browser.createElement("li", "object-row");
        Browser.setAttribute(row, "data-object-id", String.valueOf(id));
        Browser.setAttribute(row, "data-label", object.label());
        Browser.setAttribute(row, "aria-selected", isSelected ? "true" : "false");
        if (object.isHidden()) {
            Browser.setAttribute(row, "data-hidden", "true");
        }
        Browser.setStyle(row, "--object-colour", ObjectPalette.css(object.colour));

        JSObject swatch = button("object-select", "", "Select " + object.displayName());
        Browser.setAttribute(swatch, "aria-pressed", isSelected ? "true" : "false");
        Browser.setText(swatch, String.valueOf(id));
        Browser.listen(swatch, "click", event -> session.select(id));
        Browser.append(row, swatch);

        JSObject field = Browser.createElement("input", "object-label");
        Browser.setAttribute(field, "type", "text");
        Browser.setAttribute(field, "maxlength", "100");
        Browser.setAttribute(field, "autocomplete", "off");
        Browser.setAttribute(field, "enterkeyhint", "done");
        Browser.setAttribute(field, "data-object-id", String.valueOf(id));
        Browser.setAttribute(field, "placeholder", "Object " + id);
        Browser.setAttribute(field, "aria-label", "Label of object " + id);
        Browser.setValue(field, object.label());
        Browser.listen(field, "focus", event -> session.select(id));
        Browser.listen(field, "change", event -> session.rename(id, Browser.value(field)));
        Browser.listen(field, "keydown", event -> {
            String key = Browser.string(event, "key");
            if ("Enter".equals(key) || "Escape".equals(key)) {
                Browser.preventDefault(event); // Enter here names the object; it does not finish it too
                if ("Escape".equals(key)) {
                    Browser.setValue(field, object.label());
                }
                Browser.blur(field);
            }
        });
        Browser.append(row, field);

        JSObject hide = button("object-hide", object.isHidden() ? "◌" : "●",
                (object.isHidden() ? "Show " : "Hide ") + object.displayName());
        Browser.setAttribute(hide, "aria-pressed", object.isHidden() ? "true" : "false");
        Browser.listen(hide, "click", event -> session.setHidden(id, !object.isHidden()));
        Browser.append(row, hide);

        JSObject up = button("object-up", "↑", "Move " + object.displayName() + " up");
        Browser.setDisabled(up, index == 0);
        Browser.listen(up, "click", event -> session.move(id, -1));
        Browser.append(row, up);

        JSObject down = button("object-down", "↓", "Move " + object.displayName() + " down");
        Browser.setDisabled(down, index == total - 1);
        Browser.listen(down, "click", event -> session.move(id, 1));
        Browser.append(row, down);

        JSObject delete = button("object-delete", "✕", "Delete " + object.displayName() + " (Delete)");
        Browser.listen(delete, "click", event -> session.delete(id));
        Browser.append(row, delete);
        return row;
    }

    private void renderRecent(SegmentObject selected) {
        Browser.removeChildren(recent);
        List<String> labels = session.recentLabels().all();
        for (int i = 0; i < labels.size(); i++) {
            int n = i + 1;
            String label = labels.get(i);
            JSObject chip = button("label-chip", n + " " + label, "Label the current object \"" + label + "\" (" + n + ")");
            Browser.setAttribute(chip, "data-label", label);
            Browser.setDisabled(chip, selected == null);
            Browser.listen(chip, "click", event -> session.labelFromRecent(n));
            Browser.append(recent, chip);
        }
    }

    private static JSObject button(String className, String text, String title) {
        JSObject button = Browser.createElement("button", className);
        Browser.setAttribute(button, "type", "button");
        Browser.setAttribute(button, "title", title);
        Browser.setAttribute(button, "aria-label", title);
        Browser.setText(button, text);
        return button;
    }
}

package clickseg.web.js;

import org.teavm.jso.JSObject;

/**
 * The ⋯ button of the phone layout: it opens the panel holding the toolbar's other groups (on wide
 * screens the stylesheet shows them in the row and hides the button). Choosing an item, tapping
 * elsewhere or Esc closes it.
 */
final class OverflowMenu {
    private OverflowMenu() {
    }

    static void wire() {
        JSObject toolbar = Browser.byId("more-button");
        JSObject bar = parentToolbar();
        JSObject panel = Browser.byId("overflow");
        Browser.listen(toolbar, "click", event -> set(bar, toolbar, !isOpen(toolbar)));
        Browser.listen(panel, "click", event -> {
            if (Browser.isButtonTarget(event)) {
                set(bar, toolbar, false);
            }
        });
        Browser.listen(Browser.document(), "pointerdown", event -> {
            if (isOpen(toolbar) && !Browser.isInside(event, bar)) {
                set(bar, toolbar, false);
            }
        });
        Browser.listen(Browser.document(), "keydown", event -> {
            if ("Escape".equals(Browser.string(event, "key")) && isOpen(toolbar)) {
                Browser.preventDefault(event); // this Esc closes the menu; it must not also clear the prompt
                set(bar, toolbar, false);
            }
        });
    }

    private static JSObject parentToolbar() {
        return Browser.querySelector("header.toolbar");
    }

    private static boolean isOpen(JSObject button) {
        return "true".equals(Browser.attribute(button, "aria-expanded"));
    }

    private static void set(JSObject bar, JSObject button, boolean open) {
        Browser.toggleClass(bar, "menu-open", open);
        Browser.setAttribute(button, "aria-expanded", open ? "true" : "false");
    }
}

package clickseg.web.session;

import clickseg.export.ObjectColours;

/**
 * The objects' colours on the page: object n (1-based id) takes the exports' colour n − 1
 * ({@link ObjectColours}, ten well-separated hues), so the page, the downloaded label map and SVG, and a
 * share's preview picture show each object in the same colour; an image's first ten objects never share one.
 */
public final class ObjectPalette {
    private ObjectPalette() {
    }

    /** 0xRRGGBB of colour index i (any i ≥ 0, wrapping around). */
    public static int rgb(int i) {
        return ObjectColours.forIndex(i);
    }

    /** "#rrggbb" of colour index i, for CSS and SVG. */
    public static String css(int i) {
        return ObjectColours.hex(rgb(i));
    }
}

package clickseg.web.session;

/**
 * The objects' colours: a fixed list of distinct hues that read on photos (after the Tableau 10
 * palette, which was chosen to stay apart for colour-blind viewers too). Object n takes colour n mod 10,
 * so an image's first ten objects never share one.
 */
public final class ObjectPalette {
    private static final int[] RGB = {
        0x1f77b4, // blue
        0xff7f0e, // orange
        0x2ca02c, // green
        0xd62728, // red
        0x9467bd, // purple
        0x8c564b, // brown
        0xe377c2, // pink
        0x17becf, // cyan
        0xbcbd22, // olive
        0x7f7f7f, // grey
    };

    private ObjectPalette() {
    }

    public static int size() {
        return RGB.length;
    }

    /** 0xRRGGBB of colour index i (any i ≥ 0, wrapping around). */
    public static int rgb(int i) {
        return RGB[Math.floorMod(i, RGB.length)];
    }

    /** "#rrggbb" of colour index i, for CSS and SVG. */
    public static String css(int i) {
        String hex = Integer.toHexString(rgb(i) | 0x1000000);
        return "#" + hex.substring(1);
    }
}

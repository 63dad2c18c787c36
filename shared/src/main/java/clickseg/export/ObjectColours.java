package clickseg.export;

/**
 * Default object colours (0xRRGGBB) for objects that come without one: ten well-separated hues (Tableau 10),
 * so that neighbouring objects in a label map or an SVG are told apart at a glance.
 */
public final class ObjectColours {
    private static final int[] PALETTE = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1,
            0xFF9DA7, 0x9C755F, 0xBAB0AC};

    private ObjectColours() {
    }

    /** The colour of the object at this index (0-based), repeating after ten. */
    public static int forIndex(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** "#rrggbb". */
    public static String hex(int rgb) {
        String digits = Integer.toHexString((rgb & 0xFFFFFF) | 0x1000000);
        return "#" + digits.substring(1);
    }
}

package clickseg.wire;

/**
 * How embedding values travel: 32-bit float, 16-bit float, or 8-bit integers with a float scale (and,
 * for u8, an offset) per channel.
 */
public enum Dtype {
    F32(0, 4),
    F16(1, 2),
    /** Symmetric per-channel quantisation: value = q * scale[channel], q in [-127, 127], scale = maxabs / 127. */
    I8(2, 1),
    /**
     * Asymmetric per-channel quantisation: value = min[channel] + q * scale[channel], q in [0, 255],
     * scale = (max − min) / 255. A channel whose values sit off zero (most of an embedding's) gets
     * all 256 steps across its own range, where the symmetric form spends half of them on the side it
     * does not use.
     */
    U8(3, 1);

    /** The byte stored in the container header. */
    public final int code;
    /** Bytes per value on the wire (scales not counted). */
    public final int bytesPerValue;

    Dtype(int code, int bytesPerValue) {
        this.code = code;
        this.bytesPerValue = bytesPerValue;
    }

    public static Dtype fromCode(int code) {
        for (Dtype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }

    /** "f32", "f16", "i8", "u8": the names used in URLs ({@code ?dtype=}). */
    public String wireName() {
        return name().toLowerCase();
    }

    /** Parses "f32", "f16", "i8" or "u8" (any case); null when it is none of them. */
    public static Dtype fromWireName(String name) {
        if (name == null) {
            return null;
        }
        for (Dtype d : values()) {
            if (d.wireName().equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }
}

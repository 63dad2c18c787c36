package clickseg.server.segment;

/** How a segment answer carries each mask. */
public enum MaskFormat {
    /** COCO RLE as pycocotools writes it: {@code {"size": [h, w], "counts": "<compressed string>"}}. */
    RLE("rle"),
    /** A base64 8-bit greyscale PNG of the mask at the original size, 255 inside. */
    PNG("png"),
    /** Outline rings in original pixels, traced on the logits' 0-level line. */
    POLYGON("polygon"),
    /**
     * COCO's polygon segmentation {@code [[x1, y1, x2, y2, …], …]} of the full-size mask, simplified at the
     * request's {@code tolerance} (clickseg.export.MaskOutline; holes bridged in, one polygon per part).
     */
    COCO_POLYGON("coco-polygon");

    private final String wireName;

    MaskFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format with this wire name, or null. */
    public static MaskFormat fromWireName(String name) {
        for (MaskFormat format : values()) {
            if (format.wireName.equals(name)) {
                return format;
            }
        }
        return null;
    }
}

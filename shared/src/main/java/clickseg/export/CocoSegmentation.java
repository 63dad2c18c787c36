package clickseg.export;

/** How a COCO export writes each object's segmentation. */
public enum CocoSegmentation {
    /** Polygons {@code [[x1, y1, x2, y2, …], …]}, one per separate part (holes bridged in), iscrowd 0. */
    POLYGON("polygon"),
    /** Compressed RLE {@code {"size": [h, w], "counts": "…"}} exactly as pycocotools writes it, iscrowd 1. */
    RLE("rle");

    private final String wireName;

    CocoSegmentation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name ("polygon", "rle"), or null. */
    public static CocoSegmentation fromWireName(String name) {
        for (CocoSegmentation s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}

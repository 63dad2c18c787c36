package clickseg.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The category list of an export: every distinct label, in order of first appearance over the images and
 * their objects, so the same objects always give the same ids and the user's first label comes first.
 * COCO numbers them from 1 ({@link #cocoId}), YOLO from 0 ({@link #yoloIndex}). A blank label is "object".
 */
public final class Categories {
    /** What an object without a label is called. */
    public static final String UNLABELLED = "object";

    private final Map<String, Integer> index = new LinkedHashMap<>();

    public Categories(List<ExportImage> images) {
        for (ExportImage image : images) {
            for (ExportObject object : image.objects()) {
                String name = name(object.label());
                if (!index.containsKey(name)) {
                    index.put(name, index.size());
                }
            }
        }
    }

    /** The category name of a label: trimmed, control characters as spaces, blank as {@link #UNLABELLED}. */
    public static String name(String label) {
        StringBuilder s = new StringBuilder(label.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            s.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        String trimmed = s.toString().trim();
        return trimmed.isEmpty() ? UNLABELLED : trimmed;
    }

    /** Names in order (index 0 = YOLO class 0 = COCO category 1). */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(index.keySet()));
    }

    public int size() {
        return index.size();
    }

    public int yoloIndex(String label) {
        Integer i = index.get(name(label));
        if (i == null) {
            throw new IllegalArgumentException("label \"" + label + "\" is not among the categories");
        }
        return i;
    }

    public int cocoId(String label) {
        return yoloIndex(label) + 1;
    }
}

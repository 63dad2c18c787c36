package clickseg.web.js;

import clickseg.web.session.ObjectSnapshot;
import clickseg.web.session.ObjectsJson;
import clickseg.export.MarkupText;
import clickseg.web.session.OpenImages;
import clickseg.wire.JsonValue;
import java.util.List;
import java.util.Map;
import org.teavm.jso.JSBody;

/**
 * Each image's objects in the browser's localStorage, keyed by the image's id (the sha256 of its bytes), so
 * that a reload, or opening the same picture again later, loses nothing. What is kept is
 * {@link ObjectsJson}'s text: labels, prompts and masks as COCO RLE (a few kilobytes an object). Storage
 * that is full or switched off (private windows) is not an error: the page then keeps objects only while
 * it is open, and says so once per image.
 */
final class ObjectStorage {
    private static final String PREFIX = "clickseg:objects:";
    private static final String NAME_PREFIX = "clickseg:name:";
    private static final String OPEN_IMAGES = "clickseg:open-images";

    private ObjectStorage() {
    }

    /**
     * Stores the image's objects. False when the storage is full or switched off: the page then keeps them only
     * while it is open, and says so. Other images' stored objects are never given up to make room: they are a
     * person's work too, and the page cannot tell which of them still matter.
     */
    static boolean save(String imageId, List<ObjectSnapshot> objects) {
        if (imageId == null || imageId.isEmpty()) {
            return true;
        }
        if (objects.isEmpty()) {
            remove(PREFIX + imageId);
            return true;
        }
        return put(PREFIX + imageId, ObjectsJson.write(objects));
    }

    /** The image's stored objects, or an empty list (none stored, or unreadable: then they are dropped). */
    static List<ObjectSnapshot> load(String imageId, int width, int height) {
        String text = get(PREFIX + imageId);
        if (text == null) {
            return List.of();
        }
        try {
            return ObjectsJson.read(text, width, height);
        } catch (RuntimeException unreadable) {
            Browser.logError("stored objects of " + imageId + " dropped: " + unreadable.getMessage());
            remove(PREFIX + imageId);
            return List.of();
        }
    }

    /** The file name the image was opened from, for exports after a reload (which knows only its id). */
    static void saveFileName(String imageId, String fileName) {
        put(NAME_PREFIX + imageId, fileName);
    }

    /** The file name the image was opened from, or null. */
    static String fileName(String imageId) {
        return get(NAME_PREFIX + imageId);
    }

    /** The ready images of the list, so that a reload shows the same list: [{id, name, width, height}, …]. */
    static void saveOpenImages(List<OpenImages.Entry> entries) {
        StringBuilder json = new StringBuilder("[");
        for (OpenImages.Entry entry : entries) {
            if (entry.state() != OpenImages.State.READY) {
                continue;
            }
            json.append(json.length() > 1 ? "," : "").append("{\"id\":");
            MarkupText.appendJsonString(json, entry.imageId());
            json.append(",\"name\":");
            MarkupText.appendJsonString(json, entry.fileName);
            json.append(",\"width\":").append(entry.width()).append(",\"height\":").append(entry.height()).append('}');
        }
        put(OPEN_IMAGES, json.append(']').toString());
    }

    /** Puts the stored list's images into {@code images} as ready (an unreadable list is dropped). */
    static void loadOpenImages(OpenImages images) {
        String text = get(OPEN_IMAGES);
        if (text == null) {
            return;
        }
        try {
            for (Object element : (List<?>) JsonValue.parse(text)) {
                Map<?, ?> image = (Map<?, ?>) element;
                images.addReady((String) image.get("id"), (String) image.get("name"),
                        (int) (double) (Double) image.get("width"), (int) (double) (Double) image.get("height"));
            }
        } catch (RuntimeException unreadable) {
            remove(OPEN_IMAGES);
        }
    }

    @JSBody(params = {"key", "value"}, script = "try { localStorage.setItem(key, value); return true; }"
            + " catch (storageError) { return false; }")
    private static native boolean put(String key, String value);

    @JSBody(params = "key", script = "try { return localStorage.getItem(key); } catch (storageError) { return null; }")
    private static native String get(String key);

    @JSBody(params = "key", script = "try { localStorage.removeItem(key); } catch (storageError) { }")
    private static native void remove(String key);
}

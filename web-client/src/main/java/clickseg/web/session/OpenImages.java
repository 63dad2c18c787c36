package clickseg.web.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The images open in the page, in the order they were opened: each file's way through the upload queue
 * (queued, uploading, encoding, ready or failed) and, for every image not on screen, its objects as they
 * were when the person moved to another image. Plain Java: the page's queue and list drive and draw it.
 */
public final class OpenImages {
    /** Where an image is on its way to being segmentable. */
    public enum State { QUEUED, UPLOADING, ENCODING, READY, FAILED }

    /** One open image. */
    public static final class Entry {
        public final String fileName;
        private String imageId;
        private int width;
        private int height;
        private State state;
        private int percent = -1;
        private String message = "";
        private List<ObjectSnapshot> objects = List.of();

        Entry(String fileName, State state) {
            this.fileName = fileName;
            this.state = state;
        }

        public String imageId() {
            return imageId;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }

        public State state() {
            return state;
        }

        /** Upload progress 0-100, or -1 when unknown. */
        public int percent() {
            return percent;
        }

        /** Why it failed, or "". */
        public String message() {
            return message;
        }

        /** The objects saved when the image left the screen (empty while it is on screen or has none). */
        public List<ObjectSnapshot> objects() {
            return objects;
        }

        public void uploading(int percentDone) {
            state = percentDone >= 100 ? State.ENCODING : State.UPLOADING;
            percent = percentDone;
        }

        public void ready(String id, int imageWidth, int imageHeight) {
            imageId = id;
            width = imageWidth;
            height = imageHeight;
            state = State.READY;
            percent = 100;
        }

        public void failed(String why) {
            state = State.FAILED;
            message = why == null ? "" : why;
        }

        public void keepObjects(List<ObjectSnapshot> saved) {
            objects = List.copyOf(saved);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A file chosen to open: it waits for its turn to upload. */
    public Entry add(String fileName) {
        Entry entry = new Entry(fileName, State.QUEUED);
        entries.add(entry);
        return entry;
    }

    /** An image already on the server (opened by id, or uploaded on its own): ready now; one entry per image. */
    public Entry addReady(String imageId, String fileName, int width, int height) {
        Entry known = byImageId(imageId);
        if (known != null) {
            return known;
        }
        Entry entry = new Entry(fileName, State.QUEUED);
        entry.ready(imageId, width, height);
        entries.add(entry);
        return entry;
    }

    /** The next file waiting to upload, or null. */
    public Entry nextQueued() {
        for (Entry entry : entries) {
            if (entry.state == State.QUEUED) {
                return entry;
            }
        }
        return null;
    }

    public Entry byImageId(String imageId) {
        for (Entry entry : entries) {
            if (imageId != null && imageId.equals(entry.imageId)) {
                return entry;
            }
        }
        return null;
    }

    public List<Entry> all() {
        return List.copyOf(entries);
    }

    /** Images that are on the server and can be opened (and exported). */
    public int readyCount() {
        int n = 0;
        for (Entry entry : entries) {
            n += entry.state == State.READY ? 1 : 0;
        }
        return n;
    }
}

package clickseg.web.js;

import clickseg.web.session.OpenImages;
import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/**
 * Several images at once: files chosen together (or a folder) upload one after another, each then encoded
 * by the server, with a list that shows every file's progress; the first one ready is opened, and a tap on
 * any ready one opens it (the page keeps each image's objects). One upload at a time: the server encodes one
 * image at a time per core anyway, and the first file is ready soonest this way.
 */
final class ImageQueue {
    private final OpenImages images;
    private final Consumer<OpenImages.Entry> open;
    private final Runnable listChanged; // an image became ready: the kept list follows
    private final JSObject list = Browser.byId("image-list");
    private final JSObject section = Browser.byId("images-section");
    private boolean uploading;
    private String currentImageId = "";

    ImageQueue(OpenImages images, Consumer<OpenImages.Entry> open, Runnable listChanged) {
        this.images = images;
        this.open = open;
        this.listChanged = listChanged;
    }

    /** Queues every image file of a FileList (other files are skipped, and said so in the list). */
    void addFiles(JSObject files) {
        int n = Browser.arrayLength(files);
        for (int i = 0; i < n; i++) {
            JSObject file = Browser.at(files, i);
            String type = Browser.string(file, "type");
            String name = Browser.string(file, "name");
            if (type != null && !type.isEmpty() && !type.startsWith("image/")) {
                continue; // a folder holds more than pictures: those are not the person's images
            }
            OpenImages.Entry entry = images.add(name == null || name.isEmpty() ? "image-" + (i + 1) : name);
            pending.put(entry, file);
        }
        render();
        pump();
    }

    private final java.util.Map<OpenImages.Entry, JSObject> pending = new java.util.HashMap<>();

    private void pump() {
        if (uploading) {
            return;
        }
        OpenImages.Entry next = images.nextQueued();
        if (next == null) {
            return;
        }
        JSObject file = pending.remove(next);
        if (file == null) {
            next.failed("the file is gone");
            render();
            pump();
            return;
        }
        uploading = true;
        next.uploading(0);
        render();
        Browser.uploadFile("/api/images", file, (loaded, total) -> {
            next.uploading(total > 0 ? (int) Math.floor(100 * loaded / total) : 0);
            render();
        }, (code, body) -> {
            uploading = false;
            JSObject answer = code >= 200 && code < 300 ? Browser.parseJson(body) : null;
            if (answer != null && Browser.has(answer, "id")) {
                next.ready(Browser.string(answer, "id"), (int) Browser.number(answer, "width"),
                        (int) Browser.number(answer, "height"));
                listChanged.run();
                if (currentImageId.isEmpty()) {
                    open.accept(next); // nothing on screen yet: the first image ready is shown
                }
            } else {
                next.failed(code == 415 ? "not an image the server can read" : StatusBar.serverFailure(code, body));
            }
            render();
            pump();
        });
    }

    /** The image on screen (its row is marked). */
    void setCurrent(String imageId) {
        currentImageId = imageId == null ? "" : imageId;
        render();
    }

    void render() {
        Browser.removeChildren(list);
        java.util.List<OpenImages.Entry> all = images.all();
        Browser.setHidden(section, all.size() < 2);
        Browser.setAttribute(section, "data-images", String.valueOf(all.size()));
        Browser.setAttribute(section, "data-ready", String.valueOf(images.readyCount()));
        for (OpenImages.Entry entry : all) {
            JSObject row = Browser.createElement("button", "image-row");
            Browser.setAttribute(row, "type", "button");
            Browser.setAttribute(row, "data-state", entry.state().name().toLowerCase());
            boolean current = entry.imageId() != null && entry.imageId().equals(currentImageId);
            Browser.setAttribute(row, "aria-current", current ? "true" : "false");
            if (entry.imageId() != null) {
                Browser.setAttribute(row, "data-image-id", entry.imageId());
            }
            JSObject name = Browser.createElement("span", "image-name");
            Browser.setText(name, entry.fileName);
            JSObject state = Browser.createElement("span", "image-state");
            Browser.setText(state, stateText(entry, current));
            Browser.append(row, name);
            Browser.append(row, state);
            Browser.setDisabled(row, entry.state() != OpenImages.State.READY);
            Browser.setAttribute(row, "title", entry.state() == OpenImages.State.FAILED ? entry.message()
                    : "Open " + entry.fileName);
            Browser.listen(row, "click", event -> {
                if (entry.state() == OpenImages.State.READY && !current) {
                    open.accept(entry);
                }
            });
            Browser.append(list, row);
        }
    }

    private static String stateText(OpenImages.Entry entry, boolean current) {
        switch (entry.state()) {
            case QUEUED:
                return "Queued";
            case UPLOADING:
                return "Uploading " + Math.max(0, entry.percent()) + "%";
            case ENCODING:
                return "Encoding…";
            case FAILED:
                return "Failed";
            default:
                if (current) {
                    return "Open";
                }
                int n = entry.objects().size();
                return n == 0 ? "Ready" : n + (n == 1 ? " object" : " objects");
        }
    }
}

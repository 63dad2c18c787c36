package clickseg.web.js;

import clickseg.export.ExportImage;
import clickseg.web.session.ObjectSnapshot;
import clickseg.web.session.OpenImages;
import clickseg.web.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/**
 * The images open in the page and what each one keeps: the upload queue and its list, every image's
 * objects while another is on screen (and in the browser's storage, so a reload loses nothing), and the
 * file name each came from (what annotation files refer to). The page tells it when an image arrives and
 * when its objects change; the export dialog asks it for the other images' objects.
 */
final class ImageShelf {
    private final Session session;
    private final OpenImages images = new OpenImages();
    private final ImageQueue queue;
    private String imageId = "";        // the image on screen, "" before the first
    private String fileName = "image";  // its file name
    private String chosenFileName;      // a file being opened on its own, until it has loaded
    private boolean keeping = true;     // false while the screen shows what is not the person's (a share, an embed)
    private boolean saveScheduled;
    private final Consumer<String> storageFull;
    private String unsavedWarned;       // the image whose objects the page last said it could not store

    /**
     * @param open        opens an image of the list (the page's loader)
     * @param storageFull tells the person that objects could not be stored (the page's error banner)
     */
    ImageShelf(Session session, Consumer<OpenImages.Entry> open, Consumer<String> storageFull) {
        this.session = session;
        this.storageFull = storageFull;
        this.queue = new ImageQueue(images, entry -> {
            keepObjects();
            open.accept(entry);
        }, () -> ObjectStorage.saveOpenImages(images.all()));
    }

    /** The list as it was before a reload (the images are on the server; each opens on a tap). */
    void restoreList() {
        ObjectStorage.loadOpenImages(images);
        queue.render();
    }

    /** Several files (or a folder's): through the upload queue and its list. */
    void addFiles(JSObject files) {
        queue.addFiles(files);
    }

    /** A single file is being opened directly; its name is what exports will call it. */
    void openingFile(String name) {
        chosenFileName = name;
    }

    int readyCount() {
        return images.readyCount();
    }

    String fileName() {
        return fileName;
    }

    /**
     * An image is on screen now. Returns the objects it was left with (in this page, or in the browser's
     * storage), or none for an image shown as someone else's (a share, an embed): {@code keep} false.
     */
    List<ObjectSnapshot> arrived(String id, String name, int width, int height, boolean keep) {
        imageId = id;
        keeping = keep;
        OpenImages.Entry entry = images.byImageId(id);
        if (entry == null && keep) {
            String known = chosenFileName != null ? chosenFileName : ObjectStorage.fileName(id);
            entry = images.addReady(id, known != null ? known : name, width, height);
            ObjectStorage.saveOpenImages(images.all());
        }
        chosenFileName = null;
        fileName = entry != null ? entry.fileName : name;
        if (entry != null && !entry.fileName.equals(id)) {
            ObjectStorage.saveFileName(id, entry.fileName);
        }
        queue.setCurrent(id);
        if (!keep) {
            return List.of();
        }
        return entry.objects().isEmpty() ? ObjectStorage.load(id, width, height) : entry.objects();
    }

    /** The objects on screen changed: kept shortly after (a burst of changes, a decode and a rename, once). */
    void objectsChanged() {
        if (!saveScheduled) {
            saveScheduled = true;
            Browser.setTimeout(this::keepObjects, 300);
        }
    }

    /** Keeps the image's objects now (it is about to leave the screen). */
    void keepObjects() {
        saveScheduled = false;
        Session.Mode mode = session.mode();
        if (imageId.isEmpty() || !keeping || mode == Session.Mode.VIEWING_SHARE || mode == Session.Mode.NO_IMAGE) {
            return;
        }
        List<ObjectSnapshot> objects = session.snapshot();
        OpenImages.Entry entry = images.byImageId(imageId);
        if (entry != null) {
            entry.keepObjects(objects);
        }
        if (!ObjectStorage.save(imageId, objects) && !imageId.equals(unsavedWarned)) {
            unsavedWarned = imageId; // once per image: every later change would say the same
            storageFull.accept("The browser's storage is full, so this image's objects are kept only while this "
                    + "page is open. Export them, or free some storage for this site.");
        }
    }

    /** Every other ready image that has objects, for an export of all open images. */
    List<ExportImage> otherImages() {
        keepObjects();
        List<ExportImage> out = new ArrayList<>();
        for (OpenImages.Entry entry : images.all()) {
            if (entry.state() != OpenImages.State.READY || entry.imageId().equals(imageId)) {
                continue;
            }
            List<ObjectSnapshot> kept = entry.objects().isEmpty()
                    ? ObjectStorage.load(entry.imageId(), entry.width(), entry.height()) : entry.objects();
            if (!kept.isEmpty()) {
                out.add(new ExportImage(entry.fileName, entry.width(), entry.height(), ExportDialog.objectsOf(kept)));
            }
        }
        return out;
    }
}

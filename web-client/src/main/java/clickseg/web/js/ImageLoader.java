package clickseg.web.js;

import org.teavm.jso.JSObject;

/**
 * Getting an image ready: upload (or a stored image's id) → the server encodes → the image and its
 * embedding download side by side. A newer load, or a failure, abandons the one in progress; the
 * page keeps showing what it had until a load completes.
 */
final class ImageLoader {
    interface Target {
        /** A load began: the page stops taking prompts for the image it shows. */
        void loadStarted();

        /** The load failed (the banner says why): the page goes on with what it had. */
        void loadFailed();

        /** Both parts are there. */
        void loaded(int generation, String imageId, String baseName, JSObject image, JSObject embedding);
    }

    private final StatusBar status;
    private final Target target;
    private String embeddingDtype = "";
    private int generation;
    private boolean loading;
    private String imageId;
    private String baseName;
    private JSObject image;
    private JSObject embedding;

    ImageLoader(StatusBar status, Target target) {
        this.status = status;
        this.target = target;
    }

    /** The dtype the server's model advertises; embeddings are fetched in it. */
    void embeddingDtype(String dtype) {
        embeddingDtype = dtype;
    }

    boolean isLoading() {
        return loading;
    }

    void loadFile(JSObject file) {
        String name = Browser.string(file, "name");
        String type = Browser.string(file, "type");
        String shownName = name == null || name.isEmpty() ? "The pasted file" : "“" + name + "”";
        if (type != null && !type.isEmpty() && !type.startsWith("image/")) {
            status.error(shownName + " is not an image (" + type + "). Choose a PNG, JPEG, WebP, GIF or BMP file.");
            return;
        }
        int load = begin(null, baseNameOf(name));
        String objectUrl = Browser.objectUrl(file);
        status.stage("uploading", "Uploading 0%", 0);
        Browser.uploadFile("/api/images", file, (loaded, total) -> {
            if (load != generation) {
                return;
            }
            if (total > 0 && loaded < total) {
                int percent = (int) Math.floor(100 * loaded / total);
                status.stage("uploading", "Uploading " + percent + "%", percent);
            } else {
                status.stage("encoding", "Encoding…", -1);
            }
        }, (code, body) -> {
            if (load != generation) {
                return;
            }
            if (code == 415) {
                fail(shownName + " is not an image the server can read. Choose a PNG, JPEG, WebP, GIF or BMP file.");
                return;
            }
            if (code < 200 || code >= 300) {
                fail(StatusBar.serverFailure(code, body));
                return;
            }
            JSObject answer = Browser.parseJson(body);
            if (answer == null || !Browser.has(answer, "id") || !Browser.has(answer, "embedding")) {
                fail("The server's answer was not understood.");
                return;
            }
            imageId = Browser.string(answer, "id");
            fetch(load, objectUrl, Browser.string(answer, "embedding"));
        });
    }

    /** An image already on the server, by id; files saved from it are named after baseName. */
    void openStored(String id, String name) {
        int load = begin(id, name);
        String encoded = StatusBar.encodeComponent(id);
        String dtype = embeddingDtype.isEmpty() ? "" : "?dtype=" + StatusBar.encodeComponent(embeddingDtype);
        fetch(load, "/api/images/" + encoded, "/api/images/" + encoded + "/embedding" + dtype);
    }

    private int begin(String id, String name) {
        generation++;
        loading = true;
        imageId = id;
        baseName = name;
        image = null;
        embedding = null;
        status.hideError();
        target.loadStarted();
        return generation;
    }

    private void fetch(int load, String imageUrl, String embeddingUrl) {
        status.stage("downloading", "Downloading embedding 0%", 0);
        Browser.loadImage(imageUrl, loadedImage -> {
            if (load == generation) {
                image = loadedImage;
                finishWhenBoth(load);
            }
        }, (code, message) -> {
            if (load == generation) {
                fail("The image could not be shown by this browser.");
            }
        });
        Browser.fetchBytes(embeddingUrl, (loaded, total) -> {
            if (load != generation) {
                return;
            }
            if (total > 0) {
                int percent = (int) Math.min(100, Math.floor(100 * loaded / total));
                status.stage("downloading", "Downloading embedding " + percent + "%", percent);
            } else {
                status.stage("downloading", "Downloading embedding " + StatusBar.megabytes(loaded), -1);
            }
        }, buffer -> {
            if (load == generation) {
                embedding = buffer;
                finishWhenBoth(load);
            }
        }, (code, body) -> {
            if (load == generation) {
                fail(code == 404 ? "No image with id “" + imageId + "” is stored on the server."
                        : StatusBar.serverFailure(code, body));
            }
        });
    }

    private void finishWhenBoth(int load) {
        if (image == null || embedding == null) {
            return;
        }
        JSObject readyImage = image;
        JSObject readyEmbedding = embedding;
        image = null;
        embedding = null;
        loading = false;
        target.loaded(load, imageId, baseName, readyImage, readyEmbedding);
    }

    private void fail(String message) {
        generation++;
        loading = false;
        image = null;
        embedding = null;
        status.error(message);
        target.loadFailed();
    }

    static String baseNameOf(String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return "pasted-image";
        }
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            safe.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '-');
        }
        return safe.toString();
    }
}

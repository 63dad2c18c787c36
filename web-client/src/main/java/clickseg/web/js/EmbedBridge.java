package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.Prompt;
import clickseg.prompt.PromptJson;
import clickseg.web.session.ObjectSnapshot;
import java.util.List;
import java.util.function.Consumer;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * The page inside an iframe on another site (/embed/{imageId} or /embed?url=…): opens its one
 * image and talks to the embedding page (the host) with postMessage.
 *
 * <p>Protocol. Every message is an object {@code {type: "clickseg:<name>", ...}}.
 * <ul>
 * <li>Out, posted to {@code window.parent} with the host's origin as targetOrigin:
 *   <ul>
 *   <li>{@code clickseg:ready {imageId, width, height}} once the image can be segmented;</li>
 *   <li>{@code clickseg:mask {rle: {size: [h, w], counts}, bbox: [x, y, w, h], area, iou, objectId, label}}
 *       whenever the current object's mask on screen changes (a click, a command, undo, a candidate picked):
 *       COCO compressed RLE as pycocotools writes it (column-major), the box and area in image pixels, the
 *       decoder's predicted IoU (clamped to 0..1), the object's id (0 when no object is selected) and label
 *       ("" until named). An empty prompt (after clear, or undo past the first point) sends an
 *       all-background mask with area 0 and iou 0;</li>
 *   <li>{@code clickseg:objects {objects: [{id, label, rle, bbox, area}, …]}} whenever the image's objects
 *       change (one made, deleted, renamed, or its mask changed), in list order;</li>
 *   <li>{@code clickseg:error {message}} for anything the page shows as an error, and for a
 *       command it refuses.</li>
 *   </ul></li>
 * <li>In, from the host: {@code clickseg:setPrompts {points: [[x, y], ...], labels: [1|0, ...],
 *     box?: [x0, y0, x1, y1]}} (original image pixels; replaces the prompt, undoable),
 *     {@code clickseg:clear}, {@code clickseg:undo}, {@code clickseg:redo}.</li>
 * </ul>
 *
 * <p>Who the host is. embed.js (and anyone writing the iframe by hand) names the host's origin in
 * the {@code parent} query parameter. Messages are posted only to that origin, so no other page
 * can read the masks, and a message is obeyed only when it comes from {@code window.parent} AND
 * its origin is that one: a page that frames the embed while claiming another origin, a sibling
 * frame or a popup are all ignored without a word. Where the browser reports the real ancestor
 * ({@code location.ancestorOrigins}) and it differs from the claimed one, messaging stays off.
 * Without a valid {@code parent} the embed works for the person using it but says nothing.
 */
public final class EmbedBridge {
    private final String hostOrigin; // null: nobody to talk to
    private final String imageId; // "" for the URL form
    private final Consumer<String> openImage;
    private final Consumer<Prompt> setPrompt;
    private final Runnable undo;
    private final Runnable redo;
    private final Runnable clear;
    private final Consumer<String> showError;
    private boolean ready;
    private int width;
    private int height;

    private EmbedBridge(String hostOrigin, String imageId, Consumer<String> openImage, Consumer<Prompt> setPrompt,
                        Runnable undo, Runnable redo, Runnable clear, Consumer<String> showError) {
        this.hostOrigin = hostOrigin;
        this.imageId = imageId;
        this.openImage = openImage;
        this.setPrompt = setPrompt;
        this.undo = undo;
        this.redo = redo;
        this.clear = clear;
        this.showError = showError;
    }

    /**
     * The bridge when this page is the embed page (the server put {@code <meta name="clickseg-embed">}
     * in it), else null. The actions are the page's own: open a stored image, replace the prompt,
     * undo, redo, clear, show an error.
     */
    static EmbedBridge ofThisPage(Consumer<String> openImage, Consumer<Prompt> setPrompt, Runnable undo,
                                  Runnable redo, Runnable clear, Consumer<String> showError) {
        String imageId = embeddedImageId();
        if (imageId == null) {
            return null;
        }
        EmbedBridge bridge = new EmbedBridge(hostOrigin(), imageId, openImage, setPrompt, undo, redo, clear,
                showError);
        if (bridge.hostOrigin != null) {
            listenToHost(bridge.hostOrigin, bridge::command);
        }
        return bridge;
    }

    /** Whether this page is the embed page (the server put {@code <meta name="clickseg-embed">} in it). */
    static boolean isEmbedPage() {
        return embeddedImageId() != null;
    }

    /** Opens the page's image: the stored one named in the address, or the web image the server fetches. */
    void openImage() {
        if (!imageId.isEmpty()) {
            openImage.accept(imageId);
            return;
        }
        String url = Browser.queryParameter("url");
        if (url == null || url.isEmpty()) {
            showError.accept("No image to show: the address names neither an image id nor a url.");
            return;
        }
        setStatus("downloading", "Fetching the image from its site…");
        Browser.postJson("/api/images/fetch", urlRequest(url), (status, body) -> {
            JSObject answer = Browser.parseJson(body);
            if (status == 200 && answer != null && Browser.has(answer, "id")) {
                openImage.accept(Browser.string(answer, "id"));
                return;
            }
            String error = answer != null && Browser.has(answer, "error") ? Browser.string(answer, "error") : "";
            setStatus("idle", "The image could not be fetched");
            if (status == 403 && "remote_images_disabled".equals(error)) {
                showError.accept("This server does not fetch images from other sites (remote images are disabled "
                        + "on it). Embed an image uploaded to it, by its id.");
            } else if (status == 0) {
                showError.accept("The server cannot be reached. Check that it is running, then reload the page.");
            } else if (answer != null && Browser.has(answer, "message")) {
                showError.accept("The image at " + url + " could not be fetched: " + Browser.string(answer, "message"));
            } else {
                showError.accept("The image at " + url + " could not be fetched (HTTP " + status + ").");
            }
        });
    }

    // ---- events out (hooks called by PageController) ------------------------------------------

    /** The image can be segmented: commands are accepted from now on. */
    void ready(String shownImageId, int imageWidth, int imageHeight) {
        ready = true;
        width = imageWidth;
        height = imageHeight;
        if (hostOrigin != null) {
            postToHost(hostOrigin, readyMessage(shownImageId, imageWidth, imageHeight));
        }
    }

    /**
     * The current object's mask on screen changed; null (or area 0) when its prompt is empty.
     *
     * @param objectId the current object's id, 0 when none is selected
     */
    void maskShown(BinaryMask mask, long area, float iou, int objectId, String label) {
        if (hostOrigin == null || !ready) {
            return;
        }
        if (mask == null || area == 0) {
            String nothing = RunLengthEncoding.encode(new int[] {width * height}); // (h, w) all background
            postToHost(hostOrigin, maskMessage(height, width, nothing, 0, 0, 0, 0, 0, 0, objectId, label));
            return;
        }
        int[] box = mask.boundingBox(); // x, y, width, height
        // The decoder's IoU head can overshoot 1; an IoU estimate past 1 only confuses a host.
        postToHost(hostOrigin, maskMessage(mask.height(), mask.width(), RunLengthEncoding.encode(mask),
                box[0], box[1], box[2], box[3], (double) area, Math.max(0f, Math.min(1f, iou)), objectId, label));
    }

    /** The image's objects changed: the host's readable {@code objects} state follows. */
    void objectsChanged(List<ObjectSnapshot> objects) {
        if (hostOrigin == null || !ready) {
            return;
        }
        JSObject list = emptyArray();
        for (ObjectSnapshot object : objects) {
            int[] box = object.mask().boundingBox();
            pushObject(list, object.id(), object.label(), object.mask().height(), object.mask().width(),
                    object.counts(), box[0], box[1], box[2], box[3], (double) object.mask().area());
        }
        postToHost(hostOrigin, objectsMessage(list));
    }

    /** Anything the page shows as an error. */
    void error(String message) {
        if (hostOrigin != null) {
            postToHost(hostOrigin, errorMessage(message));
        }
    }

    // ---- commands in ----------------------------------------------------------------------------

    /** A message that passed the origin and source checks; never throws back into the event loop. */
    private void command(JSObject message) {
        String type = Browser.string(message, "type");
        try {
            if (!ready) {
                refuse(type + " arrived before clickseg:ready; wait for that event");
            } else if ("clickseg:setPrompts".equals(type)) {
                setPrompts(message);
            } else if ("clickseg:clear".equals(type)) {
                clear.run();
            } else if ("clickseg:undo".equals(type)) {
                undo.run();
            } else if ("clickseg:redo".equals(type)) {
                redo.run();
            } else {
                refuse("unknown command " + type + "; the commands are clickseg:setPrompts, clickseg:clear, "
                        + "clickseg:undo and clickseg:redo");
            }
        } catch (RuntimeException failed) {
            refuse(type + " failed: " + failed.getMessage());
        }
    }

    private void setPrompts(JSObject message) {
        int points = arrayLength(message, "points");
        if (points > Prompt.MAX_POINTS) { // said before turning a huge array into text
            refuse("clickseg:setPrompts: points: at most " + Prompt.MAX_POINTS + " points, got " + points);
            return;
        }
        String text = promptText(message);
        if (text == null) {
            refuse("clickseg:setPrompts: points, labels and box must be plain JSON values (arrays of numbers)");
            return;
        }
        Prompt prompt;
        try {
            // shared's codec and bounds check: the host's prompt is read exactly as the server reads one
            prompt = PromptJson.readInside(text, width, height);
        } catch (IllegalArgumentException bad) {
            refuse("clickseg:setPrompts: " + bad.getMessage());
            return;
        }
        setPrompt.accept(prompt);
    }

    /** A command the host got wrong: the host hears why; the person using the page sees nothing change. */
    private void refuse(String message) {
        warn("clickseg embed: " + message);
        postToHost(hostOrigin, errorMessage(message));
    }

    private static void setStatus(String stage, String text) {
        Browser.setAttribute(Browser.byId("status"), "data-stage", stage);
        Browser.setText(Browser.byId("status-text"), text);
    }

    // ---- browser edge -----------------------------------------------------------------------------

    /** The content of {@code <meta name="clickseg-embed">} ("" for the URL form), or null on other pages. */
    @JSBody(script = "var tag = document.querySelector('meta[name=\"clickseg-embed\"]');"
            + " return tag ? (tag.getAttribute('content') || '') : null;")
    private static native String embeddedImageId();

    /**
     * The origin named in {@code ?parent=} when this page is framed and it is a plain http(s) origin
     * (a trailing slash is forgiven) not contradicted by the browser's own ancestor list; else null.
     */
    @JSBody(script = ""
            + "var named = new URLSearchParams(location.search).get('parent');"
            + "if (!named || window.parent === window) { return null; }"
            + "var parsed; try { parsed = new URL(named); } catch (badUrl) { parsed = null; }"
            + "if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')"
            + "    || (named !== parsed.origin && named !== parsed.origin + '/')) {"
            + "  console.warn('clickseg embed: parent=' + named + ' is not an origin; no messages will be exchanged');"
            + "  return null; }"
            + "var ancestors = location.ancestorOrigins;"
            + "if (ancestors && ancestors.length && ancestors[0] !== 'null' && ancestors[0] !== parsed.origin) {"
            + "  console.warn('clickseg embed: framed by ' + ancestors[0] + ', not by ' + parsed.origin"
            + "    + '; no messages will be exchanged');"
            + "  return null; }"
            + "return parsed.origin;")
    private static native String hostOrigin();

    /**
     * Hands Java the messages from {@code window.parent} with exactly the host's origin whose data is
     * an object with a "clickseg:" type; everything else is dropped here, before any Java runs.
     */
    @JSBody(params = {"origin", "handler"}, script = ""
            + "window.addEventListener('message', function (messageEvent) {"
            + "  if (messageEvent.source !== window.parent || messageEvent.origin !== origin) { return; }"
            + "  var data = messageEvent.data;"
            + "  if (!data || typeof data !== 'object' || typeof data.type !== 'string'"
            + "      || data.type.indexOf('clickseg:') !== 0) { return; }"
            + "  handler(data);"
            + "});")
    private static native void listenToHost(String origin, Callbacks.OnObject handler);

    @JSBody(params = {"origin", "message"}, script = "window.parent.postMessage(message, origin);")
    private static native void postToHost(String origin, JSObject message);

    /**
     * The prompt fields of a setPrompts message as JSON text, or null when they cannot be written as JSON
     * (a structured clone may hold cycles or BigInts).
     */
    @JSBody(params = "message", script = "try { return JSON.stringify({"
            + " points: message.points === undefined ? null : message.points,"
            + " labels: message.labels === undefined ? null : message.labels,"
            + " box: message.box === undefined ? null : message.box}); } catch (notJson) { return null; }")
    private static native String promptText(JSObject message);

    /** The length of message[key] when it is an array, else 0. */
    @JSBody(params = {"message", "key"}, script = "var value = message[key];"
            + " return Array.isArray(value) ? value.length : 0;")
    private static native int arrayLength(JSObject message, String key);

    @JSBody(params = "message", script = "console.warn(message);")
    private static native void warn(String message);

    @JSBody(params = "url", script = "return JSON.stringify({url: url});")
    private static native String urlRequest(String url);

    @JSBody(params = {"imageId", "width", "height"},
            script = "return {type: 'clickseg:ready', imageId: imageId, width: width, height: height};")
    private static native JSObject readyMessage(String imageId, int width, int height);

    @JSBody(params = {"h", "w", "counts", "x", "y", "bw", "bh", "area", "iou", "objectId", "label"}, script = ""
            + "return {type: 'clickseg:mask', rle: {size: [h, w], counts: counts}, bbox: [x, y, bw, bh],"
            + " area: area, iou: iou, objectId: objectId, label: label};")
    private static native JSObject maskMessage(int h, int w, String counts, int x, int y, int bw, int bh,
                                               double area, double iou, int objectId, String label);

    @JSBody(script = "return [];")
    private static native JSObject emptyArray();

    @JSBody(params = {"list", "id", "label", "h", "w", "counts", "x", "y", "bw", "bh", "area"}, script = ""
            + "list.push({id: id, label: label, rle: {size: [h, w], counts: counts}, bbox: [x, y, bw, bh], area: area});")
    private static native void pushObject(JSObject list, int id, String label, int h, int w, String counts, int x,
                                          int y, int bw, int bh, double area);

    @JSBody(params = "list", script = "return {type: 'clickseg:objects', objects: list};")
    private static native JSObject objectsMessage(JSObject list);

    @JSBody(params = "message", script = "return {type: 'clickseg:error', message: message};")
    private static native JSObject errorMessage(String message);
}

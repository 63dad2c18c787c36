package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import clickseg.mask.MaskUpsampler;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.CoordinateTransform;
import clickseg.web.session.DecodedMasks;
import clickseg.web.session.FirstClickChoice;
import clickseg.web.session.HistoryEntry;
import clickseg.web.session.PromptHistory;
import clickseg.web.session.PromptState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.JSObject;

/**
 * The page: loading an image (upload → encoding → embedding download → decoder ready), turning
 * pointer and keyboard input into prompt steps, sending them to the decoder workers and drawing
 * what comes back. At start it asks the server for its model (/api/models), downloads the
 * decoder weights from the immutable URL named there once (the browser cache keeps them) and
 * hands them to every worker. Every stage is written in words in the status line, and every
 * failure in the error banner, after which the page keeps the image and mask it had.
 */
public final class PageController implements DecoderWorkerPool.Listener {
    /** Movement (CSS px) that turns a press into a box drag. */
    private static final double DRAG_THRESHOLD = 5;
    /** Longest side of a hover preview mask; the committed mask is always full resolution. */
    private static final int HOVER_GRID_LIMIT = 1024;

    /**
     * The build the decoder workers run, "wasm" or "js": the one boot.js asked for until the workers
     * report the one that really started (a worker falls back to JavaScript if WebAssembly GC fails to
     * load). The page itself always runs the JavaScript build, so that its policy needs no eval.
     */
    private String runtime;
    private final DecoderWorkerPool pool;
    private final CanvasView view;
    private final JSObject viewer = Browser.byId("viewer");
    private final JSObject canvas = Browser.byId("canvas");
    private final JSObject fileInput = Browser.byId("file-input");
    private EmbedBridge embed; // the /embed page's link to the site embedding it; null on other pages

    // The active image (what the user sees and edits).
    private int activeGeneration = -1;
    private boolean decoderReady;
    private String imageId = "";
    private String baseName = "mask";
    private PromptHistory history = new PromptHistory();
    private MaskUpsampler upsampler; // for the active image's size
    private BinaryMask committedMask; // image size: area, exports
    private BinaryMask committedFill; // display grid: what is painted
    private long committedArea;
    private List<float[]> committedRings = List.of(); // outline in image pixels
    private BinaryMask hoverMask;

    // The server's model: embeddings are fetched in the dtype it advertises.
    private String modelId = "";
    private String embeddingDtype = "";
    private boolean weightsLoaded;

    // A load in progress; a newer load or an error abandons it.
    private int loadGeneration;
    private String loadingImageId;
    private String loadingBaseName;
    private JSObject loadingImage;
    private JSObject loadingEmbedding;
    private String loadingObjectUrl;

    // Clicks waiting for, or in, the decoder; in order, since each feeds the next its mask.
    private final ArrayDeque<HistoryEntry> awaitingDecode = new ArrayDeque<>();
    private HistoryEntry decoding;
    private int decodingRequest = -1;
    private int newestHoverRequest = -1;
    private int shownHoverRequest = -1;
    private boolean hovering;
    private PromptState hoverPrompt = PromptState.EMPTY;

    // The everything view: all the server's masks at once; a click picks one as the current mask.
    private final EverythingLayer everything = new EverythingLayer();

    // Sharing: the dialog, and a share link's segmentation waiting for its image to activate.
    private final ShareDialog shareDialog = new ShareDialog();
    private SharedSegmentation pendingShare;
    private SharedSegmentation adoptedShare; // the share whose stored mask belongs to sharedStep
    private HistoryEntry sharedStep; // the author's prompt: its mask is the stored one, never decoded
    private boolean everythingShown;
    private boolean everythingPending;
    private int everythingRequest; // bumped to abandon an answer still in flight
    private int everythingHover = -1;
    private boolean everythingSelection; // the committed mask is one picked in the everything view

    // Pointer state.
    private boolean negativeMode;
    private boolean pressed;
    private boolean dragging;
    private boolean panning;
    private int pressButton;
    private double pressClientX;
    private double pressClientY;
    private double lastClientX;
    private double lastClientY;

    private PageController(String runtime) {
        this.runtime = runtime;
        this.view = new CanvasView(viewer, canvas);
        view.onMaskGridChange(this::paintCommittedFill);
        int hardware = Browser.hardwareConcurrency();
        int workers = hardware >= 6 ? 3 : hardware >= 2 ? 2 : 1;
        this.pool = new DecoderWorkerPool(runtime, workers, this);
    }

    public static void start(String runtime) {
        PageController page = new PageController(runtime);
        page.embed = EmbedBridge.ofThisPage(page::openStoredImage, page::replacePrompt, page::undo, page::clear,
                page::showError);
        page.wire();
        String shareId = page.embed == null ? SharedView.shareIdOfPage() : null;
        page.loadModel(page.embed == null && shareId == null ? Browser.queryParameter("image") : null);
        if (page.embed != null) {
            page.embed.openImage();
        } else if (shareId != null) {
            new SharedView(page, shareId).open();
        }
    }

    /** Reads the server's model, starts the weights download, then opens the image named in the address. */
    private void loadModel(String requestedImage) {
        Browser.fetchText("/api/models", (status, body) -> {
            JSObject model = status == 200 ? Browser.defaultModel(Browser.parseJson(body)) : null;
            if (model == null || !Browser.has(model, "decoder")) {
                setInfo("info-decoder", "Decoder: unavailable");
                showError(status == 0 ? "The server cannot be reached. Check that it is running, then reload the page."
                        : "The server did not describe its model (HTTP " + status + "); the decoder cannot start.");
                return;
            }
            modelId = Browser.string(model, "id");
            if (Browser.has(model, "embeddingDtype")) {
                embeddingDtype = Browser.string(model, "embeddingDtype");
            }
            fetchWeights(Browser.string(Browser.object(model, "decoder"), "url"));
            if (requestedImage != null && !requestedImage.isEmpty()) {
                openStoredImage(requestedImage);
            }
        });
    }

    private void fetchWeights(String url) {
        Browser.fetchBytes(url, (loaded, total) -> {
            if (total > 0) {
                int percent = (int) Math.min(100, Math.floor(100 * loaded / total));
                setInfo("info-decoder", "Decoder: downloading weights " + percent + "%");
            }
        }, buffer -> {
            setInfo("info-decoder", "Decoder: loading weights…");
            pool.loadWeights(buffer);
        }, (status, body) -> {
            setInfo("info-decoder", "Decoder: unavailable");
            showError("The decoder weights could not be downloaded: " + describeServerFailure(status, body));
        });
    }

    private void wire() {
        setInfo("info-decoder", "Decoder: starting " + runtimeName() + " workers…");
        onClick("open-button", () -> Browser.click(fileInput));
        onClick("empty-open", () -> Browser.click(fileInput));
        Browser.listen(fileInput, "change", event -> {
            JSObject file = Browser.firstFile(Browser.object(fileInput, "files"));
            if (file != null) {
                loadFile(file);
            }
            Browser.resetValue(fileInput);
        });
        onClick("mode-positive", () -> setNegativeMode(false));
        onClick("mode-negative", () -> setNegativeMode(true));
        onClick("undo", this::undo);
        onClick("redo", this::redo);
        onClick("clear", this::clear);
        onClick("everything", this::toggleEverything);
        onClick("zoom-in", () -> view.zoomCentered(1.25));
        onClick("zoom-out", () -> view.zoomCentered(0.8));
        onClick("zoom-fit", view::fit);
        onClick("export-mask", () -> MaskExports.maskPng(committedMask, baseName));
        onClick("export-cutout", () -> MaskExports.cutoutPng(committedMask, view.image(), baseName));
        onClick("export-rle", () -> MaskExports.cocoRle(committedMask, imageId, baseName));
        onClick("export-svg", () -> MaskExports.svgOutline(committedRings, view.imageWidth(), view.imageHeight(),
                baseName));
        onClick("error-close", () -> Browser.setHidden(Browser.byId("error"), true));
        onClick("share", () -> shareDialog.open(imageId, modelId, history.current().prompt, committedMask,
                history.current().result() == null ? -1 : history.current().result().chosen()));

        Browser.listen(canvas, "pointerdown", this::pointerDown);
        Browser.listen(canvas, "pointermove", this::pointerMove);
        Browser.listen(canvas, "pointerup", this::pointerUp);
        Browser.listen(canvas, "pointercancel", event -> endPress());
        Browser.listen(canvas, "pointerleave", event -> leaveCanvas());
        Browser.listen(canvas, "contextmenu", Browser::preventDefault);
        Browser.listen(canvas, "wheel", event -> {
            Browser.preventDefault(event);
            double delta = Browser.number(event, "deltaY");
            view.zoomAt(Math.exp(-delta * 0.0015), Browser.number(event, "clientX"), Browser.number(event, "clientY"));
        });
        Browser.listen(viewer, "dragover", event -> {
            Browser.preventDefault(event);
            Browser.toggleClass(viewer, "drop-target", true);
        });
        Browser.listen(viewer, "dragleave", event -> Browser.toggleClass(viewer, "drop-target", false));
        Browser.listen(viewer, "drop", event -> {
            Browser.preventDefault(event);
            Browser.toggleClass(viewer, "drop-target", false);
            JSObject file = Browser.firstFile(Browser.object(Browser.object(event, "dataTransfer"), "files"));
            if (file != null) {
                loadFile(file);
            }
        });
        Browser.listen(Browser.document(), "paste", event -> {
            JSObject file = Browser.pastedFile(event);
            if (file != null) {
                Browser.preventDefault(event);
                loadFile(file);
            }
        });
        Browser.listen(Browser.document(), "keydown", this::keyDown);
        Browser.onResize(viewer, view::layout);
        Browser.listen(Browser.window(), "resize", event -> view.layout()); // devicePixelRatio changes
        view.layout();
        setStage("idle", "Choose, drop or paste an image to start", -1);
        updateControls();
        // Last: tells tests and tools that every control is wired.
        Browser.setAttribute(Browser.byId("app"), "data-runtime", runtime);
    }

    private void onClick(String id, Runnable action) {
        Browser.listen(Browser.byId(id), "click", event -> action.run());
    }

    // ---- loading ------------------------------------------------------------------------------

    private void loadFile(JSObject file) {
        String name = Browser.string(file, "name");
        String type = Browser.string(file, "type");
        String shownName = name == null || name.isEmpty() ? "The pasted file" : "“" + name + "”";
        if (type != null && !type.isEmpty() && !type.startsWith("image/")) {
            showError(shownName + " is not an image (" + type + "). Choose a PNG, JPEG, WebP, GIF or BMP file.");
            return;
        }
        int generation = ++loadGeneration;
        abandonLoadResources();
        loadingBaseName = baseNameOf(name);
        loadingObjectUrl = Browser.objectUrl(file);
        loadingImage = null;
        loadingEmbedding = null;
        hideError();
        setStage("uploading", "Uploading 0%", 0);
        Browser.uploadFile("/api/images", file, (loaded, total) -> {
            if (generation != loadGeneration) {
                return;
            }
            if (total > 0 && loaded < total) {
                int percent = (int) Math.floor(100 * loaded / total);
                setStage("uploading", "Uploading " + percent + "%", percent);
            } else {
                setStage("encoding", "Encoding…", -1);
            }
        }, (status, body) -> {
            if (generation != loadGeneration) {
                return;
            }
            if (status == 415) {
                failLoad(shownName + " is not an image the server can read. Choose a PNG, JPEG, WebP, GIF or BMP file.");
                return;
            }
            if (status < 200 || status >= 300) {
                failLoad(describeServerFailure(status, body));
                return;
            }
            JSObject answer = Browser.parseJson(body);
            if (answer == null || !Browser.has(answer, "id") || !Browser.has(answer, "embedding")) {
                failLoad("The server's answer was not understood.");
                return;
            }
            loadingImageId = Browser.string(answer, "id");
            fetchImageAndEmbedding(generation, loadingObjectUrl, Browser.string(answer, "embedding"));
        });
    }

    private void openStoredImage(String id) {
        int generation = ++loadGeneration;
        abandonLoadResources();
        loadingImageId = id;
        loadingBaseName = id;
        hideError();
        String encoded = encodeComponent(id);
        String dtype = embeddingDtype.isEmpty() ? "" : "?dtype=" + encodeComponent(embeddingDtype);
        fetchImageAndEmbedding(generation, "/api/images/" + encoded, "/api/images/" + encoded + "/embedding" + dtype);
    }

    private void fetchImageAndEmbedding(int generation, String imageUrl, String embeddingUrl) {
        setStage("downloading", "Downloading embedding 0%", 0);
        Browser.loadImage(imageUrl, image -> {
            if (generation == loadGeneration) {
                loadingImage = image;
                activateWhenLoaded(generation);
            }
        }, (status, message) -> {
            if (generation == loadGeneration) {
                failLoad("The image could not be shown by this browser.");
            }
        });
        Browser.fetchBytes(embeddingUrl, (loaded, total) -> {
            if (generation != loadGeneration) {
                return;
            }
            if (total > 0) {
                int percent = (int) Math.min(100, Math.floor(100 * loaded / total));
                setStage("downloading", "Downloading embedding " + percent + "%", percent);
            } else {
                setStage("downloading", "Downloading embedding " + formatMegabytes(loaded), -1);
            }
        }, buffer -> {
            if (generation == loadGeneration) {
                loadingEmbedding = buffer;
                activateWhenLoaded(generation);
            }
        }, (status, body) -> {
            if (generation == loadGeneration) {
                failLoad(status == 404 ? "No image with id “" + loadingImageId + "” is stored on the server."
                        : describeServerFailure(status, body));
            }
        });
    }

    private void activateWhenLoaded(int generation) {
        if (loadingImage == null || loadingEmbedding == null) {
            return;
        }
        int width = (int) Browser.number(loadingImage, "naturalWidth");
        int height = (int) Browser.number(loadingImage, "naturalHeight");
        activeGeneration = generation;
        decoderReady = false;
        imageId = loadingImageId;
        baseName = loadingBaseName;
        history = new PromptHistory();
        awaitingDecode.clear();
        decoding = null;
        decodingRequest = -1;
        committedMask = null;
        committedFill = null;
        committedArea = 0;
        committedRings = List.of();
        hoverMask = null;
        hovering = false;
        upsampler = new MaskUpsampler(new CoordinateTransform(width, height));
        leaveEverything();
        everythingSelection = false;
        view.setImage(loadingImage, width, height);
        boolean fromShare = pendingShare != null && pendingShare.imageId.equals(imageId);
        if (fromShare) {
            adoptShared(pendingShare); // the author's mask stays on screen while the decoder starts
        }
        pendingShare = null;
        Browser.setHidden(Browser.byId("empty-state"), true);
        Browser.setAttribute(viewer, "data-image-id", imageId);
        if (!fromShare) {
            SharedView.leaveShareAddress(); // another image opened on a share page is not the share
            Browser.replaceQueryParameter("image", imageId);
        }
        setInfo("info-image", width + " × " + height + " px");
        setStage("preparing", "Preparing decoder…", -1);
        pool.loadImage(generation, loadingEmbedding);
        loadingEmbedding = null;
        renderCurrent();
    }

    private void failLoad(String message) {
        loadGeneration++;
        abandonLoadResources();
        showError(message);
        restoreStage();
    }

    private void abandonLoadResources() {
        loadingImage = null;
        loadingEmbedding = null;
    }

    private void restoreStage() {
        if (activeGeneration < 0) {
            setStage("idle", "Choose, drop or paste an image to start", -1);
        } else if (decoderReady) {
            setStage("ready", "Ready", 100);
        } else {
            setStage("preparing", "Preparing decoder…", -1);
        }
    }

    // ---- worker pool events -------------------------------------------------------------------

    @Override
    public void workersReady(String workerRuntime, int count) {
        runtime = workerRuntime; // what the workers really started, for every later status line
        if (weightsLoaded) {
            return;
        }
        setInfo("info-decoder", "Decoder: " + runtimeName() + " · " + count + (count == 1 ? " worker" : " workers"));
    }

    @Override
    public void weightsLoaded() {
        weightsLoaded = true;
        setInfo("info-decoder", "Decoder: " + runtimeName() + " · " + pool.size() + (pool.size() == 1 ? " worker" : " workers"));
    }

    @Override
    public void imageLoaded(int image) {
        if (image != activeGeneration) {
            return;
        }
        decoderReady = true;
        if (loadGeneration == activeGeneration) {
            setStage("ready", "Ready", 100);
        }
        updateControls();
        if (embed != null) {
            embed.ready(imageId, view.imageWidth(), view.imageHeight());
        }
    }

    @Override
    public void decoded(int requestId, DecodedMasks masks, double millis) {
        if (requestId == decodingRequest && decoding != null) {
            FirstClickChoice.apply(masks, decoding.prompt, decoding.maskSource != null, upsampler.transform());
            decoding.setResult(masks);
            HistoryEntry finished = decoding;
            decoding = null;
            decodingRequest = -1;
            setInfo("info-timing", "Decoded in " + Math.round(millis) + " ms");
            if (finished == history.current()) {
                renderCurrent();
            }
            pumpCommits();
        } else if (hovering && history.current().prompt.isEmpty() && requestId > shownHoverRequest) {
            // An older probe may still land after a newer one was sent: show it, it is closer
            // to the pointer than nothing, unless a newer answer is already on screen.
            shownHoverRequest = requestId;
            FirstClickChoice.apply(masks, hoverPrompt, false, upsampler.transform()); // preview what a click gives
            showHover(masks);
            setInfo("info-timing", "Decoded in " + Math.round(millis) + " ms");
        }
    }

    @Override
    public void decodeFailed(int requestId, String message) {
        Browser.logError("decoder: " + message);
        if (requestId == decodingRequest && decoding != null) {
            decoding = null;
            decodingRequest = -1;
            awaitingDecode.clear();
        }
        showError("The decoder failed: " + message);
        updateControls();
    }

    // ---- prompts ------------------------------------------------------------------------------

    private void pushPrompt(PromptState prompt) {
        everythingSelection = false;
        HistoryEntry entry = history.push(prompt);
        stopHover();
        if (!prompt.isEmpty()) {
            awaitingDecode.addLast(entry);
            pumpCommits();
        }
        renderCurrent();
    }

    private void pumpCommits() {
        if (decoding != null || awaitingDecode.isEmpty()) {
            return;
        }
        HistoryEntry next = awaitingDecode.peekFirst();
        HistoryEntry source = next.maskSource;
        if (source != null && source.result() == null && (source == decoding || awaitingDecode.contains(source))) {
            return; // its mask input is still being decoded
        }
        awaitingDecode.pollFirst();
        float[] maskInput = source != null && source.result() != null ? source.result().chosenLogits() : null;
        decoding = next;
        decodingRequest = pool.commit(next.prompt, maskInput);
        Browser.setAttribute(viewer, "data-busy", "true");
    }

    /** A whole new prompt at once (the embed's setPrompts): one undoable step, not fed the old mask. */
    private void replacePrompt(PromptState prompt) {
        everythingSelection = false;
        HistoryEntry entry = history.replace(prompt);
        stopHover();
        awaitingDecode.addLast(entry);
        pumpCommits();
        renderCurrent();
    }

    private void undo() {
        if (history.canUndo()) {
            history.undo();
            renderCurrent();
        }
    }

    private void redo() {
        if (history.canRedo()) {
            history.redo();
            renderCurrent();
        }
    }

    private void clear() {
        boolean hadSelection = everythingSelection;
        everythingSelection = false;
        if (!history.current().prompt.isEmpty()) {
            history.clear();
            renderCurrent();
        } else if (hadSelection) {
            renderCurrent();
        }
    }

    // ---- everything view ----------------------------------------------------------------------

    /**
     * Asks the server for every object's mask (a 16×16 point grid: about ten seconds on a small
     * CPU, where 32×32 takes several times that) and shows them all; a second press, or Esc,
     * leaves the view (abandoning an answer still on its way). The page stays usable meanwhile.
     */
    private void toggleEverything() {
        if (everythingShown || everythingPending) {
            leaveEverything();
            return;
        }
        if (activeGeneration < 0) {
            return;
        }
        int request = ++everythingRequest;
        int generation = activeGeneration;
        everythingPending = true;
        hideError();
        stopHover();
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "true");
        Browser.setAttribute(viewer, "data-everything", "finding");
        setStage("everything", "Finding every object…", -1);
        Browser.postJson("/api/images/" + encodeComponent(imageId) + "/everything", "{\"pointsPerSide\":16}",
                (status, body) -> {
                    if (request != everythingRequest || generation != activeGeneration) {
                        return;
                    }
                    everythingPending = false;
                    restoreStage();
                    if (status < 200 || status >= 300) {
                        leaveEverything();
                        showError("Finding every object failed: " + describeServerFailure(status, body));
                        return;
                    }
                    List<BinaryMask> found = everythingMasks(Browser.parseJson(body));
                    if (found == null) {
                        leaveEverything();
                        showError("The server's list of objects was not understood.");
                        return;
                    }
                    showEverything(found);
                });
    }

    /** The answer's masks as image-size masks, largest first as sent; null when malformed. */
    private List<BinaryMask> everythingMasks(JSObject answer) {
        if (answer == null || !Browser.has(answer, "masks")) {
            return null;
        }
        JSObject list = Browser.object(answer, "masks");
        int n = Browser.arrayLength(list);
        List<BinaryMask> found = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                JSObject segmentation = Browser.object(Browser.at(list, i), "segmentation");
                found.add(RunLengthEncoding.decode(Browser.string(segmentation, "counts"),
                        view.imageWidth(), view.imageHeight()));
            }
        } catch (RuntimeException malformed) {
            Browser.logError("everything: " + malformed.getMessage());
            return null;
        }
        return found;
    }

    private void showEverything(List<BinaryMask> found) {
        everything.setMasks(found, view.imageWidth(), view.imageHeight());
        everythingShown = true;
        everythingHover = -1;
        view.showOverlay(everything.paint(-1));
        Browser.setAttribute(viewer, "data-everything", "shown");
        Browser.setAttribute(viewer, "data-everything-count", String.valueOf(found.size()));
        setInfo("info-mask", found.size() + (found.size() == 1 ? " object" : " objects")
                + " found · click one to pick it, Esc to leave");
    }

    private void leaveEverything() {
        everythingRequest++;
        boolean wasActive = everythingShown || everythingPending;
        everythingShown = false;
        everythingPending = false;
        everythingHover = -1;
        view.showOverlay(null);
        Browser.setAttribute(Browser.byId("everything"), "aria-pressed", "false");
        Browser.removeAttribute(viewer, "data-everything");
        Browser.removeAttribute(viewer, "data-everything-count");
        Browser.removeAttribute(viewer, "data-everything-hover");
        if (wasActive) {
            restoreStage();
            setInfo("info-mask", "");
        }
    }

    private void hoverEverything(int label) {
        if (label != everythingHover) {
            everythingHover = label;
            view.showOverlay(everything.paint(label));
            Browser.setAttribute(viewer, "data-everything-hover", String.valueOf(label));
        }
    }

    /**
     * Makes one of the found masks the current mask, ready for export. Refining it is a normal
     * prompt session: the next click becomes a point together with this mask's bounding box as
     * a box prompt (the server's masks come without the decoder's low-res logits to feed back).
     */
    private void selectEverything(int label) {
        BinaryMask chosen = everything.mask(label);
        leaveEverything();
        if (!history.current().prompt.isEmpty()) {
            history.clear();
            renderCurrent();
        }
        int w = view.imageWidth();
        int h = view.imageHeight();
        committedMask = new BinaryMask(w, h, chosen.pixels().clone());
        committedArea = committedMask.area();
        committedRings = MaskPolygon.trace(BinaryMaskLogits.of(committedMask, upsampler.transform()), 0,
                upsampler.transform());
        everythingSelection = true;
        view.showMask(committedMask, committedArea, committedRings, false);
        Browser.setAttribute(viewer, "data-mask-area", String.valueOf(committedArea));
        Browser.setAttribute(viewer, "data-everything-selected", String.valueOf(label));
        setInfo("info-mask", "Mask " + formatThousands(committedArea) + " px · picked from everything");
        updateControls();
    }

    private void setNegativeMode(boolean negative) {
        negativeMode = negative;
        Browser.setAttribute(Browser.byId("mode-positive"), "aria-pressed", negative ? "false" : "true");
        Browser.setAttribute(Browser.byId("mode-negative"), "aria-pressed", negative ? "true" : "false");
    }

    // ---- drawing ------------------------------------------------------------------------------

    private void renderCurrent() {
        HistoryEntry entry = history.current();
        view.showPrompt(entry.prompt);
        Browser.setAttribute(viewer, "data-points", String.valueOf(entry.prompt.pointCount()));
        DecodedMasks result = entry.result();
        if (entry.prompt.isEmpty() && everythingSelection) {
            view.showPrompt(entry.prompt); // the picked mask stays the current mask
        } else if (entry.prompt.isEmpty()) {
            Browser.removeAttribute(viewer, "data-everything-selected");
            committedMask = null;
            committedArea = 0;
            committedRings = List.of();
            view.showMask(null, 0, null, false);
            Browser.setAttribute(viewer, "data-mask-area", "0");
            Browser.removeAttribute(viewer, "data-mask-index");
            setInfo("info-mask", "");
            if (embed != null) {
                embed.maskShown(null, 0, 0);
            }
        } else if (result == null && entry == sharedStep) {
            showSharedMask(adoptedShare); // back to the author's step by undo or redo
        } else if (result != null) {
            int w = view.imageWidth();
            int h = view.imageHeight();
            if (committedMask == null || committedMask.width() != w || committedMask.height() != h) {
                committedMask = new BinaryMask(w, h);
            }
            committedArea = upsampler.toMask(result.lowResLogits, result.chosenOffset(), committedMask);
            committedRings = MaskPolygon.trace(result.lowResLogits, result.chosenOffset(), upsampler.transform());
            paintCommittedFill();
            Browser.setAttribute(viewer, "data-mask-area", String.valueOf(committedArea));
            Browser.setAttribute(viewer, "data-mask-index", String.valueOf(result.chosen()));
            setInfo("info-mask", "Mask " + formatThousands(committedArea) + " px · predicted IoU "
                    + formatIou(result.iou[result.chosen()]));
            if (embed != null) {
                embed.maskShown(committedMask, committedArea, result.iou[result.chosen()]);
            }
        }
        boolean settled = decoding == null && awaitingDecode.isEmpty();
        if (settled) {
            Browser.removeAttribute(viewer, "data-busy");
        }
        renderCandidates(entry);
        updateControls();
    }

    private void renderCandidates(HistoryEntry entry) {
        JSObject list = Browser.byId("candidates");
        Browser.removeChildren(list);
        DecodedMasks result = entry.result();
        boolean show = result != null && entry.prompt.offersCandidates();
        Browser.setHidden(Browser.byId("candidate-bar"), !show);
        if (!show) {
            return;
        }
        double[] share = FirstClickChoice.areaFractions(result, upsampler.transform());
        for (int i = 1; i < DecodedMasks.MASKS; i++) {
            final int index = i;
            JSObject chip = Browser.createElement("button", "chip");
            Browser.setAttribute(chip, "type", "button");
            Browser.setAttribute(chip, "data-index", String.valueOf(i));
            Browser.setAttribute(chip, "data-iou", formatIou(result.iou[i]));
            Browser.setAttribute(chip, "aria-pressed", result.chosen() == i ? "true" : "false");
            Browser.setAttribute(chip, "data-share", formatPercent(share[i]));
            Browser.setText(chip, "Mask " + i + " · " + formatPercent(share[i]));
            Browser.setAttribute(chip, "title", formatPercent(share[i]) + " of the image, predicted IoU "
                    + formatIou(result.iou[i]) + ", stability " + formatIou(result.stability[i])
                    + (result.chosen() == i ? " (shown)" : ""));
            Browser.listen(chip, "click", event -> {
                result.choose(index);
                renderCurrent();
            });
            Browser.append(list, chip);
        }
    }

    /**
     * Paints the committed mask on the display grid (the same surface the full-size mask
     * thresholds, sampled once per device pixel); called again when zoom changes that grid.
     */
    private void paintCommittedFill() {
        DecodedMasks result = history.current().result();
        if (result == null || history.current().prompt.isEmpty() || upsampler == null) {
            return;
        }
        int[] grid = view.maskGrid(Integer.MAX_VALUE);
        BinaryMask fill = committedMask;
        if (grid[0] != committedMask.width() || grid[1] != committedMask.height()) {
            if (committedFill == null || committedFill.width() != grid[0] || committedFill.height() != grid[1]) {
                committedFill = new BinaryMask(grid[0], grid[1]);
            }
            upsampler.toMask(result.lowResLogits, result.chosenOffset(), committedFill);
            fill = committedFill;
        }
        view.showMask(fill, committedArea, committedRings, false);
    }

    private void showHover(DecodedMasks masks) {
        int[] grid = view.maskGrid(HOVER_GRID_LIMIT);
        int gw = grid[0];
        int gh = grid[1];
        if (hoverMask == null || hoverMask.width() != gw || hoverMask.height() != gh) {
            hoverMask = new BinaryMask(gw, gh);
        }
        long area = upsampler.toMask(masks.lowResLogits, masks.chosenOffset(), hoverMask);
        List<float[]> rings = MaskPolygon.trace(masks.lowResLogits, masks.chosenOffset(), upsampler.transform());
        view.showMask(hoverMask, area, rings, true);
        Browser.setAttribute(viewer, "data-hover-area", String.valueOf(area));
    }

    private void stopHover() {
        if (hovering) {
            hovering = false;
            pool.cancelHover();
            Browser.removeAttribute(viewer, "data-hover-area");
            if (history.current().prompt.isEmpty()) {
                view.showMask(null, 0, null, true);
            }
        }
    }

    private void updateControls() {
        boolean ready = activeGeneration >= 0 && decoderReady;
        Browser.setDisabled(Browser.byId("undo"), !ready || !history.canUndo());
        Browser.setDisabled(Browser.byId("redo"), !ready || !history.canRedo());
        Browser.setDisabled(Browser.byId("clear"), !ready || (history.current().prompt.isEmpty() && !everythingSelection));
        Browser.setDisabled(Browser.byId("everything"), activeGeneration < 0);
        boolean hasMask = committedMask != null && committedArea > 0
                && (!history.current().prompt.isEmpty() || everythingSelection);
        for (String id : new String[] {"export-mask", "export-cutout", "export-rle", "export-svg", "share"}) {
            Browser.setDisabled(Browser.byId(id), !hasMask);
        }
        for (String id : new String[] {"zoom-in", "zoom-out", "zoom-fit"}) {
            Browser.setDisabled(Browser.byId(id), activeGeneration < 0);
        }
    }

    // ---- pointer and keyboard -----------------------------------------------------------------

    private void pointerDown(JSObject event) {
        if (activeGeneration < 0) {
            return;
        }
        int button = (int) Browser.number(event, "button");
        pressClientX = Browser.number(event, "clientX");
        pressClientY = Browser.number(event, "clientY");
        lastClientX = pressClientX;
        lastClientY = pressClientY;
        Browser.capturePointer(canvas, (int) Browser.number(event, "pointerId"));
        Browser.preventDefault(event);
        if (button == 1 || (button == 0 && Browser.flag(event, "shiftKey"))) {
            panning = true;
            return;
        }
        if (everythingShown) {
            pressed = true;
            dragging = false;
            pressButton = button;
            return;
        }
        if (!decoderReady) {
            return;
        }
        pressed = true;
        dragging = false;
        pressButton = button;
        stopHover();
    }

    private void pointerMove(JSObject event) {
        double clientX = Browser.number(event, "clientX");
        double clientY = Browser.number(event, "clientY");
        if (panning) {
            view.panBy(clientX - lastClientX, clientY - lastClientY);
            lastClientX = clientX;
            lastClientY = clientY;
            return;
        }
        lastClientX = clientX;
        lastClientY = clientY;
        if (everythingShown) {
            if (!pressed) {
                hoverEverything(everything.labelAt(view.toImageX(clientX), view.toImageY(clientY)));
            }
            return;
        }
        if (pressed) {
            if (!dragging && pressButton == 0
                    && Math.hypot(clientX - pressClientX, clientY - pressClientY) > DRAG_THRESHOLD) {
                dragging = true;
            }
            if (dragging) {
                view.showDragBox(clampedBox(clientX, clientY));
            }
            return;
        }
        if (!decoderReady || !history.current().prompt.isEmpty() || everythingSelection) {
            return;
        }
        double x = view.toImageX(clientX);
        double y = view.toImageY(clientY);
        if (view.containsImagePoint(x, y)) {
            hovering = true;
            hoverPrompt = PromptState.hoverAt((float) x, (float) y);
            newestHoverRequest = pool.hover(hoverPrompt);
        } else {
            stopHover();
        }
    }

    private void pointerUp(JSObject event) {
        if (panning) {
            panning = false;
            return;
        }
        if (!pressed) {
            return;
        }
        double clientX = Browser.number(event, "clientX");
        double clientY = Browser.number(event, "clientY");
        if (everythingShown) {
            int label = everything.labelAt(view.toImageX(clientX), view.toImageY(clientY));
            endPress();
            if (label >= 0 && pressButton == 0) {
                selectEverything(label);
            }
            return;
        }
        PromptState prompt = history.current().prompt;
        if (prompt.isEmpty() && everythingSelection && !dragging) {
            int[] box = committedMask.boundingBox(); // x, y, width, height
            prompt = prompt.withBox(box[0], box[1], box[0] + box[2], box[1] + box[3]);
        }
        if (dragging) {
            double[] box = clampedBox(clientX, clientY);
            view.showDragBox(null);
            if (box[2] - box[0] >= 1 && box[3] - box[1] >= 1) {
                pushPrompt(prompt.withBox((float) box[0], (float) box[1], (float) box[2], (float) box[3]));
            }
        } else {
            double x = view.toImageX(clientX);
            double y = view.toImageY(clientY);
            if (view.containsImagePoint(x, y)) {
                boolean negative = pressButton == 2 || Browser.flag(event, "altKey") || negativeMode;
                pushPrompt(prompt.withPoint((float) x, (float) y,
                        negative ? PromptState.NEGATIVE : PromptState.POSITIVE));
            }
        }
        endPress();
    }

    private void endPress() {
        pressed = false;
        dragging = false;
        panning = false;
        view.showDragBox(null);
    }

    private void leaveCanvas() {
        if (everythingShown && !pressed) {
            hoverEverything(-1);
        }
        if (!pressed) {
            stopHover();
        }
    }

    private double[] clampedBox(double clientX, double clientY) {
        double x0 = clamp(view.toImageX(pressClientX), view.imageWidth());
        double y0 = clamp(view.toImageY(pressClientY), view.imageHeight());
        double x1 = clamp(view.toImageX(clientX), view.imageWidth());
        double y1 = clamp(view.toImageY(clientY), view.imageHeight());
        return new double[] {Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)};
    }

    private static double clamp(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    private void keyDown(JSObject event) {
        String key = Browser.string(event, "key");
        boolean command = Browser.flag(event, "ctrlKey") || Browser.flag(event, "metaKey");
        if (key == null || activeGeneration < 0) {
            return;
        }
        if (command && ("z".equals(key) || "Z".equals(key))) {
            Browser.preventDefault(event);
            if (Browser.flag(event, "shiftKey")) {
                redo();
            } else {
                undo();
            }
        } else if (command && ("y".equals(key) || "Y".equals(key))) {
            Browser.preventDefault(event);
            redo();
        } else if ("Escape".equals(key)) {
            if (everythingShown || everythingPending) {
                leaveEverything();
            } else if (pressed) {
                endPress();
            } else {
                clear();
            }
        }
    }

    // ---- shares (SharedView drives these) --------------------------------------------------------

    /** Shows a share's image and stored mask as soon as the image is there, before its embedding. */
    void showSharedPreview(JSObject image, SharedSegmentation shared) {
        if (activeGeneration >= 0 || pendingShare != shared) {
            return; // the full load won the race, or the viewer opened something else
        }
        imageId = shared.imageId;
        view.setImage(image, shared.width, shared.height);
        Browser.setHidden(Browser.byId("empty-state"), true);
        setInfo("info-image", shared.width + " × " + shared.height + " px");
        adoptShared(shared);
        Browser.setAttribute(viewer, "data-shared", "preview");
    }

    /** Loads the share's image and embedding like any stored image; the author's mask is adopted on activation. */
    void openShared(SharedSegmentation shared) {
        pendingShare = shared;
        openStoredImage(shared.imageId);
        loadingBaseName = "shared-" + shared.id;
    }

    void sharedFailed(String message) {
        Browser.setAttribute(viewer, "data-shared", "failed");
        showError(message);
    }

    /**
     * Makes the share's stored mask the committed mask and its prompt the current step, without
     * decoding: the viewer sees exactly the author's mask, and a click adds to the author's prompt.
     */
    private void adoptShared(SharedSegmentation shared) {
        upsampler = new MaskUpsampler(new CoordinateTransform(shared.width, shared.height));
        history = new PromptHistory();
        adoptedShare = shared;
        sharedStep = shared.prompt.isEmpty() ? null : history.push(shared.prompt);
        everythingSelection = shared.prompt.isEmpty(); // a picked mask: the next click refines its box
        view.showPrompt(shared.prompt);
        showSharedMask(shared);
        Browser.setAttribute(viewer, "data-shared", "adopted");
        updateControls();
    }

    private void showSharedMask(SharedSegmentation shared) {
        BinaryMask mask = shared.mask;
        // A copy: later decodes are written into the committed mask in place.
        committedMask = new BinaryMask(mask.width(), mask.height(), mask.pixels().clone());
        committedArea = committedMask.area();
        committedRings = MaskPolygon.trace(BinaryMaskLogits.of(committedMask, upsampler.transform()), 0,
                upsampler.transform());
        view.showMask(committedMask, committedArea, committedRings, false);
        Browser.setAttribute(viewer, "data-mask-area", String.valueOf(committedArea));
        Browser.removeAttribute(viewer, "data-mask-index");
        setInfo("info-mask", "Shared mask " + formatThousands(committedArea) + " px");
    }

    // ---- words --------------------------------------------------------------------------------

    private void setStage(String stage, String text, int percent) {
        JSObject status = Browser.byId("status");
        Browser.setAttribute(status, "data-stage", stage);
        Browser.setText(Browser.byId("status-text"), text);
        JSObject bar = Browser.byId("progress");
        boolean busy = !"ready".equals(stage) && !"idle".equals(stage);
        Browser.setHidden(bar, !busy);
        Browser.toggleClass(bar, "indeterminate", percent < 0);
        Browser.setStyle(Browser.byId("progress-bar"), "width", (percent < 0 ? 100 : percent) + "%");
    }

    private void showError(String message) {
        Browser.setText(Browser.byId("error-text"), message);
        Browser.setHidden(Browser.byId("error"), false);
        if (embed != null) {
            embed.error(message);
        }
    }

    private void hideError() {
        Browser.setHidden(Browser.byId("error"), true);
    }

    private void setInfo(String id, String text) {
        Browser.setText(Browser.byId(id), text);
    }

    private String runtimeName() {
        return "wasm".equals(runtime) ? "WebAssembly GC" : "JavaScript";
    }

    private static String describeServerFailure(int status, String body) {
        if (status == 0) {
            return "The server cannot be reached. Check that it is running, then try again.";
        }
        JSObject json = Browser.parseJson(body);
        if (json != null && Browser.has(json, "message")) {
            return Browser.string(json, "message");
        }
        if (status == 413) {
            return "The image is too large for the server.";
        }
        if (status == 415) {
            return "The file is not an image the server can read.";
        }
        return "The server answered with an error (HTTP " + status + ").";
    }

    private static String baseNameOf(String fileName) {
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

    private static String encodeComponent(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') {
                out.append(c);
            } else {
                out.append('%').append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return out.toString();
    }

    private static String formatIou(float iou) {
        int hundredths = Math.max(0, Math.min(100, Math.round(iou * 100)));
        if (hundredths == 100) {
            return "1.00";
        }
        return "0." + (hundredths < 10 ? "0" : "") + hundredths;
    }

    /** A share of the image for a person: "31%", or "<1%" for a sliver that is still there. */
    private static String formatPercent(double fraction) {
        long percent = Math.round(fraction * 100);
        return percent == 0 && fraction > 0 ? "<1%" : percent + "%";
    }

    private static String formatThousands(long n) {
        String digits = String.valueOf(n);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    private static String formatMegabytes(double bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0 + " MB";
    }
}

package clickseg.web.js;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.prompt.CoordinateTransform;
import clickseg.web.session.DecodedMasks;
import clickseg.web.session.ObjectPalette;
import clickseg.export.ExportImage;
import clickseg.web.session.ObjectSnapshot;
import java.util.ArrayList;
import clickseg.web.session.SegmentObject;
import java.util.List;
import clickseg.web.session.Session;
import org.teavm.jso.JSObject;

/**
 * The page's wiring: it builds the {@link Session} and the parts around it (image loading, the
 * decoder workers, pointer input, the everything view, the mask layer, the candidate bar), connects
 * buttons and events to them, and redraws whatever the session reports changed. At start it asks the
 * server for its model (/api/models), downloads the decoder weights once (the browser cache keeps
 * them) and hands them to every worker. The embed page and a share link drive the same session.
 */
public final class PageController implements DecoderWorkerPool.Listener, ImageLoader.Target, Session.Listener {
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
    private final StatusBar status = new StatusBar();
    private final ImageLoader loader = new ImageLoader(status, this);
    private final Session session;
    private final MaskLayer masks;
    private final CandidateBar candidates;
    private final EverythingView everything;
    private final PointerInput pointer;
    private final ShareDialog shareDialog = new ShareDialog();
    private final ObjectsLayer objectsLayer = new ObjectsLayer();
    private final ObjectsPanel objectsPanel;
    private final KeyboardShortcuts keys;
    private final ImageShelf shelf;
    private final ExportDialog exportDialog;
    private EmbedBridge embed; // the /embed page's link to the site embedding it; null on other pages

    private int activeGeneration = -1;
    private String imageId = "";
    private String baseName = "mask";
    private String modelId = "";
    private boolean weightsLoaded;
    private SharedSegmentation pendingShare; // a share link's segmentation waiting for its image

    private PageController(String runtime, boolean embedded) {
        this.runtime = runtime;
        this.view = new CanvasView(viewer, canvas);
        int hardware = Browser.hardwareConcurrency();
        int workers = Math.max(1, Math.min(hardware, 8)); // one decode split over every core
        this.pool = new DecoderWorkerPool(runtime, workers, this);
        this.session = new Session(new Session.Decoder() {
            @Override
            public int commit(Prompt prompt, float[] maskInput) {
                return pool.commit(prompt, maskInput);
            }

            @Override
            public int hover(Prompt prompt) {
                return pool.hover(prompt);
            }

            @Override
            public void cancelHover() {
                pool.cancelHover();
            }
        }, this, embedded);
        this.masks = new MaskLayer(view);
        this.candidates = new CandidateBar(session);
        this.everything = new EverythingView(session, view, status, this::restoreStage);
        this.pointer = new PointerInput(session, view, everything, canvas);
        this.objectsPanel = new ObjectsPanel(session);
        this.keys = new KeyboardShortcuts(session, pointer, everything, objectsPanel);
        this.shelf = new ImageShelf(session,
                entry -> loader.openStored(entry.imageId(), ImageLoader.baseNameOf(entry.fileName)), status::error);
        this.exportDialog = new ExportDialog(this::exportImages, () -> shelf.readyCount());
        view.onMaskGridChange(() -> masks.repaintFill(session));
    }

    public static void start(String runtime) {
        boolean embedded = EmbedBridge.isEmbedPage();
        PageController page = new PageController(runtime, embedded);
        page.embed = EmbedBridge.ofThisPage(id -> page.loader.openStored(id, id), page.session::replacePrompt,
                page.session::undo, page.session::redo, page.session::clear, page.status::error);
        if (page.embed != null) {
            page.status.onError(page.embed::error);
        }
        page.wire();
        if (page.embed == null) {
            page.shelf.restoreList();
        }
        String shareId = page.embed == null ? SharedView.shareIdOfPage() : null;
        String requested = page.embed == null && shareId == null ? Browser.queryParameter("image") : null;
        new ModelLoader(page.status, page.pool, page.loader).load(model -> {
            page.modelId = model;
            if (requested != null && !requested.isEmpty()) {
                page.loader.openStored(requested, requested);
            }
        });
        if (page.embed != null) {
            page.embed.openImage();
        } else if (shareId != null) {
            new SharedView(page, shareId).open();
        }
    }

    private void wire() {
        status.info("info-decoder", "Decoder: starting " + runtimeName() + " workers…");
        onClick("open-button", () -> Browser.click(fileInput));
        onClick("empty-open", () -> Browser.click(fileInput));
        Browser.listen(fileInput, "change", event -> {
            openFiles(Browser.object(fileInput, "files"));
            Browser.resetValue(fileInput);
        });
        JSObject folderInput = Browser.byId("folder-input");
        onClick("open-folder", () -> Browser.click(folderInput));
        Browser.listen(folderInput, "change", event -> {
            shelf.addFiles(Browser.object(folderInput, "files"));
            Browser.resetValue(folderInput);
        });
        onClick("export-open", () -> exportDialog.open(baseName, session.snapshot().size()));
        onClick("mode-positive", () -> pointer.setNegativeMode(false));
        onClick("mode-negative", () -> pointer.setNegativeMode(true));
        onClick("undo", session::undo);
        onClick("redo", session::redo);
        onClick("clear", session::clear);
        onClick("everything", () -> everything.toggle(imageId));
        onClick("zoom-in", () -> view.zoomCentered(1.25));
        onClick("zoom-out", () -> view.zoomCentered(0.8));
        onClick("zoom-fit", view::fit);
        onClick("export-mask", () -> MaskExports.maskPng(masks.mask(), baseName));
        onClick("export-cutout", () -> MaskExports.cutoutPng(masks.mask(), view.image(), baseName));
        onClick("export-rle", () -> MaskExports.cocoRle(masks.mask(), baseName));
        onClick("export-svg", () -> MaskExports.svgOutline(masks.rings(), view.imageWidth(), view.imageHeight(),
                baseName));
        onClick("error-close", status::hideError);
        onClick("share", this::openShareDialog);
        OverflowMenu.wire();
        pointer.wire();
        keys.wire();
        objectsPanel.wire(() -> keys.showShortcuts(true));
        Browser.listen(viewer, "dragover", event -> {
            Browser.preventDefault(event);
            Browser.toggleClass(viewer, "drop-target", true);
        });
        Browser.listen(viewer, "dragleave", event -> Browser.toggleClass(viewer, "drop-target", false));
        Browser.listen(viewer, "drop", event -> {
            Browser.preventDefault(event);
            Browser.toggleClass(viewer, "drop-target", false);
            openFiles(Browser.object(Browser.object(event, "dataTransfer"), "files"));
        });
        Browser.listen(Browser.document(), "paste", event -> {
            JSObject file = Browser.pastedFile(event);
            if (file != null) {
                Browser.preventDefault(event);
                loader.loadFile(file);
            }
        });
        Browser.onResize(viewer, view::layout);
        Browser.listen(Browser.window(), "resize", event -> view.layout()); // devicePixelRatio changes
        view.layout();
        status.stage("idle", "Choose, drop or paste an image to start", -1);
        candidates.render();
        updateControls();
        // Last: tells tests and tools that every control is wired.
        Browser.setAttribute(Browser.byId("app"), "data-runtime", runtime);
    }

    /** One file opens at once, as always; several go through the upload queue and its list. */
    private void openFiles(JSObject files) {
        if (files == null) {
            return;
        }
        if (Browser.arrayLength(files) > 1) {
            shelf.addFiles(files);
            return;
        }
        JSObject file = Browser.firstFile(files);
        if (file != null) {
            shelf.openingFile(Browser.string(file, "name"));
            loader.loadFile(file);
        }
    }

    /** What the export dialog writes: this image (with its pixels for cut-outs) and, if asked, every other open one. */
    private List<ExportImage> exportImages(boolean all, boolean withPixels) {
        List<ExportImage> out = new ArrayList<>();
        List<ObjectSnapshot> current = session.snapshot();
        if (!current.isEmpty()) {
            ExportImage image = new ExportImage(shelf.fileName(), view.imageWidth(), view.imageHeight(),
                    ExportDialog.objectsOf(current));
            out.add(withPixels ? image.withPixels(ExportDialog.pixelsOf(view.image(), view.imageWidth(), view.imageHeight())) : image);
        }
        if (all) {
            out.addAll(shelf.otherImages());
        }
        return out;
    }

    private void onClick(String id, Runnable action) {
        Browser.listen(Browser.byId(id), "click", event -> action.run());
    }

    // ---- loading (ImageLoader.Target) ----------------------------------------------------------

    @Override
    public void loadStarted() {
        shelf.keepObjects(); // the image leaving the screen keeps its objects
        everything.leave();
        session.stopHover();
        Browser.setHidden(Browser.byId("empty-state"), true);
        Browser.setAttribute(viewer, "data-loading", "true");
        updateControls();
    }

    @Override
    public void loadFailed() {
        Browser.removeAttribute(viewer, "data-loading");
        Browser.setHidden(Browser.byId("empty-state"), activeGeneration >= 0 || pendingShare != null);
        restoreStage();
        updateControls();
    }

    @Override
    public void loaded(int generation, String id, String name, JSObject image, JSObject embedding) {
        int width = (int) Browser.number(image, "naturalWidth");
        int height = (int) Browser.number(image, "naturalHeight");
        activeGeneration = generation;
        imageId = id;
        baseName = name;
        Browser.removeAttribute(viewer, "data-loading");
        Browser.removeAttribute(viewer, "data-everything-selected");
        view.setImage(image, width, height);
        masks.setImage(new CoordinateTransform(width, height));
        objectsLayer.reset();
        status.clearMaskInfo();
        boolean fromShare = pendingShare != null && pendingShare.imageId.equals(imageId);
        if (fromShare) {
            baseName = "shared-" + pendingShare.id;
            shelf.arrived(imageId, baseName, width, height, false); // the author's objects, not kept as the viewer's
            session.startObjects(width, height, pendingShare.objects, Session.Mode.VIEWING_SHARE);
            Browser.setAttribute(viewer, "data-shared", "adopted");
        } else {
            SharedView.leaveShareAddress(); // another image opened on a share page is not the share
            if (embed == null) {
                Browser.replaceQueryParameter("image", imageId);
            }
            // This image's objects as they were left: in this page, or in the browser's storage (a reload).
            List<ObjectSnapshot> kept = shelf.arrived(imageId, name, width, height, embed == null);
            if (kept.isEmpty()) {
                session.startImage(width, height);
            } else {
                session.startObjects(width, height, kept, Session.Mode.PROMPTING);
            }
        }
        pendingShare = null;
        Browser.setHidden(Browser.byId("empty-state"), true);
        Browser.setAttribute(viewer, "data-image-id", imageId);
        status.info("info-image", width + " × " + height + " px");
        status.stage("preparing", "Preparing decoder…", -1);
        pool.loadImage(generation, embedding);
    }

    /** The share carries every object; its top-level prompt and mask are the current object's (else the first's). */
    private void openShareDialog() {
        List<ObjectSnapshot> objects = session.snapshot();
        if (session.selected() != null && masks.mask() != null) {
            shareDialog.open(imageId, modelId, session.current().prompt, masks.mask(),
                    session.currentMasks() == null ? -1 : session.currentMasks().chosen(), objects);
        } else if (!objects.isEmpty()) {
            ObjectSnapshot first = objects.get(0);
            shareDialog.open(imageId, modelId, first.prompt(), first.mask(), first.maskIndex(), objects);
        }
    }

    private void restoreStage() {
        if (loader.isLoading()) {
            return;
        }
        if (activeGeneration < 0) {
            status.stage("idle", "Choose, drop or paste an image to start", -1);
        } else if (session.isDecoderReady()) {
            status.stage("ready", "Ready", 100);
        } else {
            status.stage("preparing", "Preparing decoder…", -1);
        }
    }

    // ---- decoder workers (DecoderWorkerPool.Listener) ------------------------------------------

    @Override
    public void workersReady(String workerRuntime, int count) {
        runtime = workerRuntime; // what the workers really started, for every later status line
        if (!weightsLoaded) {
            status.info("info-decoder", "Decoder: " + runtimeName() + " · " + count + (count == 1 ? " worker" : " workers"));
        }
    }

    @Override
    public void weightsLoaded() {
        weightsLoaded = true;
        status.info("info-decoder", "Decoder: " + runtimeName() + " · " + pool.size()
                + (pool.size() == 1 ? " worker" : " workers"));
    }

    @Override
    public void imageLoaded(int image) {
        if (image != activeGeneration) {
            return;
        }
        session.decoderReady();
        restoreStage();
        if (embed != null) {
            embed.ready(imageId, view.imageWidth(), view.imageHeight());
        }
    }

    @Override
    public void decoded(int requestId, DecodedMasks decoded, double millis) {
        status.info("info-timing", "Decoded in " + Math.round(millis) + " ms");
        session.decoded(requestId, decoded);
    }

    @Override
    public void decodeFailed(int requestId, String message) {
        Browser.logError("decoder: " + message);
        session.decodeFailed(requestId);
        status.error("The decoder failed: " + message);
    }

    // ---- drawing (Session.Listener) ------------------------------------------------------------

    @Override
    public void changed(Session.Change change) {
        switch (change) {
            case STEP:
                renderStep();
                break;
            case HOVER:
                renderHover();
                break;
            case MODE:
                Browser.setAttribute(viewer, "data-mode", session.mode().name().toLowerCase());
                if (session.mode() != Session.Mode.PICKING_FROM_EVERYTHING) {
                    renderStep(); // the everything view drew over the step; back to it
                } else {
                    candidates.render();
                    updateControls();
                }
                break;
            case OBJECTS:
                renderObjects();
                shelf.objectsChanged();
                if (embed != null) {
                    embed.objectsChanged(session.snapshot());
                }
                break;
            case BUSY:
                if (session.isBusy()) {
                    Browser.setAttribute(viewer, "data-busy", "true");
                } else {
                    Browser.removeAttribute(viewer, "data-busy");
                }
                break;
            default:
                break;
        }
    }

    /** Every object but the current one (its colour, outline and name), the objects panel, and the controls. */
    private void renderObjects() {
        if (view.hasImage()) {
            objectsLayer.update(session, view.imageWidth(), view.imageHeight());
            view.showObjects(objectsLayer.canvas(), objectsLayer.shapes());
        }
        objectsPanel.render();
        Browser.setAttribute(viewer, "data-objects", String.valueOf(session.objects().size()));
        updateControls();
    }

    private void renderStep() {
        if (session.mode() == Session.Mode.PICKING_FROM_EVERYTHING) {
            return; // the everything view owns the picture until it is left
        }
        view.setMaskColour(ObjectPalette.rgb(session.selected() != null ? session.selected().colour
                : session.nextObjectColour()));
        view.showPrompt(session.current().prompt);
        Browser.setAttribute(viewer, "data-points", String.valueOf(session.current().prompt.pointCount()));
        masks.showCurrent(session);
        Browser.setAttribute(viewer, "data-mask-area", String.valueOf(masks.area()));
        DecodedMasks decoded = session.currentMasks();
        BinaryMask fixed = session.currentFixedMask();
        if (decoded != null) {
            Browser.setAttribute(viewer, "data-mask-index", String.valueOf(decoded.chosen()));
            status.info("info-mask", "Mask " + StatusBar.thousands(masks.area()) + " px · predicted IoU "
                    + StatusBar.iou(decoded.iou[decoded.chosen()]));
        } else {
            Browser.removeAttribute(viewer, "data-mask-index");
            if (fixed != null) {
                status.info("info-mask", (session.mode() == Session.Mode.VIEWING_SHARE ? "Shared mask " : "Mask ")
                        + StatusBar.thousands(masks.area()) + " px");
            } else if (!session.isBusy()) {
                status.clearMaskInfo(); // Clear, undo to nothing, a new image: no old numbers stay
            }
        }
        if (fixed == null) {
            Browser.removeAttribute(viewer, "data-everything-selected");
        }
        if (embed != null && (decoded != null || fixed != null || session.current().prompt.isEmpty())) {
            embed.maskShown(masks.mask(), masks.area(), decoded != null ? decoded.iou[decoded.chosen()] : 0f,
                    session.selected() == null ? 0 : session.selected().id,
                    session.selected() == null ? "" : session.selected().label());
        }
        candidates.render();
        updateControls();
    }

    private void renderHover() {
        DecodedMasks hover = session.hoverMasks();
        if (hover != null) {
            Browser.setAttribute(viewer, "data-hover-area", String.valueOf(masks.showHover(hover)));
        } else {
            Browser.removeAttribute(viewer, "data-hover-area");
            if (session.mode() != Session.Mode.PICKING_FROM_EVERYTHING) {
                masks.showCurrent(session);
            }
        }
    }

    private void updateControls() {
        // While another image loads, the one on screen takes no commands; a share's preview is the image loading.
        boolean stale = loader.isLoading() && session.mode() != Session.Mode.VIEWING_SHARE;
        boolean ready = session.isDecoderReady() && !stale;
        Browser.setDisabled(Browser.byId("undo"), !ready || !session.canUndo());
        Browser.setDisabled(Browser.byId("redo"), !ready || !session.canRedo());
        Browser.setDisabled(Browser.byId("clear"), !ready || !session.canClear());
        boolean hasImage = activeGeneration >= 0 && !stale;
        Browser.setDisabled(Browser.byId("everything"), !hasImage);
        boolean hasMask = masks.mask() != null && session.mode() != Session.Mode.PICKING_FROM_EVERYTHING && !stale;
        for (String id : new String[] {"export-mask", "export-cutout", "export-rle", "export-svg"}) {
            Browser.setDisabled(Browser.byId(id), !hasMask);
        }
        boolean anyObject = false;
        for (SegmentObject object : session.objects()) {
            anyObject |= object.hasMask();
        }
        boolean canExport = anyObject && session.mode() != Session.Mode.PICKING_FROM_EVERYTHING && !stale;
        Browser.setDisabled(Browser.byId("share"), !canExport);
        Browser.setDisabled(Browser.byId("export-open"), !canExport);
        for (String id : new String[] {"zoom-in", "zoom-out", "zoom-fit"}) {
            Browser.setDisabled(Browser.byId(id), activeGeneration < 0);
        }
    }

    // ---- shares (SharedView drives these) ------------------------------------------------------

    /** Shows a share's image and stored mask as soon as the image is there, before its embedding. */
    void showSharedPreview(JSObject image, SharedSegmentation shared) {
        if (activeGeneration >= 0 || pendingShare != shared) {
            return; // the full load won the race, or the viewer opened something else
        }
        imageId = shared.imageId;
        view.setImage(image, shared.width, shared.height);
        masks.setImage(new CoordinateTransform(shared.width, shared.height));
        objectsLayer.reset();
        Browser.setHidden(Browser.byId("empty-state"), true);
        status.info("info-image", shared.width + " × " + shared.height + " px");
        session.startObjects(shared.width, shared.height, shared.objects, Session.Mode.VIEWING_SHARE);
        Browser.setAttribute(viewer, "data-shared", "preview");
    }

    /** Loads the share's image and embedding like any stored image; the author's mask is adopted on arrival. */
    void openShared(SharedSegmentation shared) {
        pendingShare = shared;
        loader.openStored(shared.imageId, "shared-" + shared.id);
    }

    void sharedFailed(String message) {
        Browser.setAttribute(viewer, "data-shared", "failed");
        status.error(message);
    }

    private String runtimeName() {
        if ("wasm-simd".equals(runtime)) {
            return "WebAssembly GC + SIMD";
        }
        return "wasm".equals(runtime) ? "WebAssembly GC" : "JavaScript";
    }
}

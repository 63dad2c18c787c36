package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.prompt.CoordinateTransform;
import clickseg.mask.MaskUpsampler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One image's segmentation, as plain Java (no browser types: it runs on the JVM in tests and in the
 * page through TeaVM). It owns the image's labelled objects (each with its own prompt history), the
 * undo log across them, the one decode queue (clicks in order, each fed the mask of the step before it;
 * at most one hover probe, the newest) and the mode. Prompts edit the current object only; with no
 * object selected, a click starts a new one. The page turns input into calls here and draws what
 * {@link Listener} reports; the embed bridge and the share view drive the same calls.
 */
public final class Session {
    /** What the person is doing with the image. */
    public enum Mode {
        /** No image yet (or it is still loading). */
        NO_IMAGE,
        /** Clicking, dragging boxes, choosing candidates. */
        PROMPTING,
        /** Every object's mask is shown; a click picks one. */
        PICKING_FROM_EVERYTHING,
        /** A share's author's mask as stored; the viewer has not done anything yet. */
        VIEWING_SHARE,
        /** Inside another site's page: prompting, and the host may send whole prompts. */
        EMBEDDED
    }

    /** What changed, so the page redraws only that. */
    public enum Change {
        /** The current step (prompt, mask, candidates, undo/redo state). */
        STEP,
        /** The hover preview (shown, replaced or gone). */
        HOVER,
        /** The mode. */
        MODE,
        /** Whether decodes are in flight. */
        BUSY,
        /** The list of objects: added, removed, reordered, renamed, hidden, selected, or a mask of one arrived. */
        OBJECTS
    }

    public interface Listener {
        void changed(Change change);
    }

    /** Where decodes go: the page's worker pool, or a test's stand-in. Each call answers with a request id. */
    public interface Decoder {
        int commit(Prompt prompt, float[] maskInput);

        int hover(Prompt prompt);

        void cancelHover();
    }

    private final Decoder decoder;
    private final Listener listener;
    private final boolean embedded;
    private Mode mode = Mode.NO_IMAGE;
    private CoordinateTransform transform;
    private boolean decoderReady;
    private MaskUpsampler upsampler;

    // The image's objects in list order, the selected one (or null), and the undo log across them.
    private final List<SegmentObject> objects = new ArrayList<>();
    private SegmentObject selected;
    private final List<ObjectEdit> log = new ArrayList<>();
    private int logPosition; // edits [0, logPosition) are done; the rest can be redone
    private int nextObjectId = 1;
    private RecentLabels recentLabels = new RecentLabels();
    /** What the current step is when no object is selected: nothing. */
    private static final HistoryEntry NOTHING = new HistoryEntry(Prompt.empty(), null);
    /** Undo log entries kept; each step's logits are kept by its object's history. */
    static final int LOG_CAPACITY = 256;

    // Clicks waiting for, or in, the decoder; in order, since each feeds the next its mask.
    private final ArrayDeque<HistoryEntry> awaiting = new ArrayDeque<>();
    private HistoryEntry decoding;
    private float[] decodingMaskInput;
    private int decodingRequest = -1;

    // The hover probe: the newest one sent, and the newest answer shown.
    private Prompt hoverPrompt;
    private int newestHoverRequest = -1;
    private int shownHoverRequest = -1;
    private DecodedMasks hoverMasks;

    public Session(Decoder decoder, Listener listener, boolean embedded) {
        this.decoder = decoder;
        this.listener = listener;
        this.embedded = embedded;
    }

    // ---- image lifecycle -----------------------------------------------------------------------

    /** A new image: nothing of the previous one survives (objects, undo log, queue, hover, everything view). */
    public void startImage(int width, int height) {
        startObjects(width, height, List.of(), embedded ? Mode.EMBEDDED : Mode.PROMPTING);
    }

    /**
     * A share's image: the author's prompt and stored mask are the first step of one object (nothing to
     * undo before it, and nothing to clear until the viewer acts). A share of a mask picked from everything
     * has an empty prompt: the viewer's first click then refines the mask's box, as after a pick.
     */
    public void startShare(int width, int height, Prompt authorPrompt, BinaryMask authorMask) {
        startObjects(width, height, List.of(new ObjectSnapshot(1, "", authorPrompt, -1, authorMask, false)),
                Mode.VIEWING_SHARE);
    }

    /**
     * An image whose objects were stored (a share with several objects, or the browser's storage after a
     * reload): each starts from its stored prompt and mask, with nothing to undo before it.
     */
    public void startObjects(int width, int height, List<ObjectSnapshot> stored, Mode startMode) {
        transform = new CoordinateTransform(width, height);
        upsampler = new MaskUpsampler(transform);
        decoderReady = false;
        awaiting.clear();
        decoding = null;
        decodingMaskInput = null;
        decodingRequest = -1;
        dropHover();
        objects.clear();
        log.clear();
        logPosition = 0;
        recentLabels = new RecentLabels();
        nextObjectId = 1;
        for (ObjectSnapshot snapshot : stored) {
            SegmentObject object = new SegmentObject(snapshot.id(), snapshot.id() - 1, snapshot.label(),
                    new PromptHistory(snapshot.prompt(), snapshot.mask()));
            object.setHidden(snapshot.hidden());
            objects.add(object);
            recentLabels.use(snapshot.label());
            nextObjectId = Math.max(nextObjectId, snapshot.id() + 1);
        }
        // A one-object share opens as it always did, its object current (a click refines it); objects
        // restored for more work are all there, none current, so the next click starts a new one.
        selected = startMode == Mode.VIEWING_SHARE && objects.size() == 1 ? objects.get(0) : null;
        setMode(startMode);
        listener.changed(Change.OBJECTS);
        listener.changed(Change.STEP);
    }

    /** The decoder holds this image's embedding: prompts may go to it now. */
    public void decoderReady() {
        decoderReady = true;
        listener.changed(Change.STEP);
    }

    // ---- prompts -------------------------------------------------------------------------------

    /** A click in image pixels; a negative one marks "not the object". */
    public void click(float x, float y, boolean negative) {
        Prompt start = startingPrompt();
        if (!acceptsPrompts() || start.pointCount() >= Prompt.MAX_POINTS) {
            return; // SAM's prompts stop at Prompt.MAX_POINTS points; more clicks change nothing
        }
        push(start.withPoint(x, y, negative ? Prompt.BACKGROUND : Prompt.FOREGROUND));
    }

    /** A dragged box in image pixels (any two corners). */
    public void box(float x0, float y0, float x1, float y1) {
        if (!acceptsPrompts()) {
            return;
        }
        push(current().prompt.withBox(x0, y0, x1, y1));
    }

    /** A whole prompt at once (the embed's setPrompts): one undoable step, not fed an unrelated earlier mask. */
    public void replacePrompt(Prompt prompt) {
        if (!acceptsPrompts()) {
            return;
        }
        leavePickingOrShare();
        dropHover();
        boolean created = ensureSelected();
        enqueue(selected.history.replace(prompt));
        record(new ObjectEdit(ObjectEdit.Kind.STEP, selected, -1, created));
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    /**
     * After a picked or shared mask without a prompt, the next click refines that mask: the decoder has
     * no logits of it to feed back, so its bounding box becomes the click's box prompt.
     */
    private Prompt startingPrompt() {
        HistoryEntry current = current();
        if (current.prompt.isEmpty() && current.fixedMask != null) {
            int[] b = current.fixedMask.boundingBox(); // x, y, width, height
            if (b[2] > 0 && b[3] > 0) {
                return Prompt.empty().withBox(b[0], b[1], b[0] + b[2], b[1] + b[3]);
            }
        }
        return current.prompt;
    }

    private boolean acceptsPrompts() {
        return decoderReady && mode != Mode.NO_IMAGE && mode != Mode.PICKING_FROM_EVERYTHING;
    }

    private void push(Prompt prompt) {
        leavePickingOrShare();
        dropHover();
        boolean created = ensureSelected();
        enqueue(selected.history.push(prompt));
        record(new ObjectEdit(ObjectEdit.Kind.STEP, selected, -1, created));
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    /** With no object selected, a prompt starts a new one (one undo takes both back). Returns whether it did. */
    private boolean ensureSelected() {
        return ensureSelected(null);
    }

    private boolean ensureSelected(SegmentObject previous) {
        if (selected != null) {
            return false;
        }
        SegmentObject created = new SegmentObject(nextObjectId, nextObjectId - 1, "", new PromptHistory());
        nextObjectId++;
        objects.add(created);
        selected = created;
        record(new ObjectEdit(ObjectEdit.Kind.CREATE, created, objects.size() - 1, false, previous));
        return true;
    }

    /** Appends an edit to the undo log, dropping what could have been redone. */
    private void record(ObjectEdit edit) {
        while (log.size() > logPosition) {
            log.remove(log.size() - 1);
        }
        log.add(edit);
        while (log.size() > LOG_CAPACITY) {
            log.remove(0); // the oldest edit can no longer be undone (its object stays as it is)
        }
        logPosition = log.size();
    }

    private void enqueue(HistoryEntry entry) {
        if (!entry.prompt.isEmpty()) {
            boolean wasBusy = isBusy();
            awaiting.addLast(entry);
            pump();
            if (!wasBusy) {
                listener.changed(Change.BUSY);
            }
        }
    }

    private void leavePickingOrShare() {
        if (mode == Mode.VIEWING_SHARE) {
            setMode(Mode.PROMPTING);
        }
    }

    /** Sends the next click to the decoder once the step whose mask it refines has its answer. */
    private void pump() {
        if (decoding == null && !awaiting.isEmpty()) {
            HistoryEntry next = awaiting.peekFirst();
            HistoryEntry source = next.maskSource;
            if (source != null && source.result() == null && (source == decoding || awaiting.contains(source))) {
                return; // its mask input is still being decoded
            }
            awaiting.pollFirst();
            decodingMaskInput = source != null && source.result() != null ? source.result().chosenLogits() : null;
            decoding = next;
            decodingRequest = decoder.commit(next.prompt, decodingMaskInput);
        }
    }

    /** Takes back the newest edit of any object (a step, a creation, a deletion) and selects what it touched. */
    public void undo() {
        if (!canUndo()) {
            return;
        }
        boolean joined;
        do {
            ObjectEdit edit = log.get(--logPosition);
            joined = edit.joined;
            switch (edit.kind) {
                case STEP:
                    edit.object.history.undo();
                    selectQuietly(edit.object);
                    break;
                case CREATE:
                    objects.remove(edit.object);
                    if (selected == edit.object) {
                        selected = edit.previous;
                        selectQuietly(edit.previous);
                    }
                    break;
                case DELETE:
                    objects.add(Math.min(edit.index, objects.size()), edit.object);
                    selectQuietly(edit.object);
                    break;
                default:
                    break;
            }
        } while (joined && logPosition > 0);
        afterHistoryMove();
    }

    /** Does again the edit the last undo took back. */
    public void redo() {
        if (!canRedo()) {
            return;
        }
        do {
            ObjectEdit edit = log.get(logPosition++);
            switch (edit.kind) {
                case STEP:
                    edit.object.history.redo();
                    selectQuietly(edit.object);
                    break;
                case CREATE:
                    objects.add(Math.min(edit.index, objects.size()), edit.object);
                    selectQuietly(edit.object);
                    break;
                case DELETE:
                    objects.remove(edit.object);
                    if (selected == edit.object) {
                        selected = null;
                    }
                    break;
                default:
                    break;
            }
        } while (logPosition < log.size() && log.get(logPosition).joined);
        afterHistoryMove();
    }

    private void selectQuietly(SegmentObject object) {
        selected = objects.contains(object) ? object : null;
    }

    /** Empties the current object's prompt (an undoable step); a picked mask goes too. */
    public void clear() {
        if (!canClear()) {
            return;
        }
        leavePickingOrShare();
        dropHover();
        selected.history.clear();
        record(new ObjectEdit(ObjectEdit.Kind.STEP, selected, -1, false));
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    private void afterHistoryMove() {
        leavePickingOrShare();
        dropHover();
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    /** Shows another of the current step's three candidates; the next click refines that one. */
    public void choose(int candidate) {
        DecodedMasks result = current().result();
        if (result != null && current().prompt.offersCandidates() && candidate >= 1
                && candidate < DecodedMasks.MASKS) {
            result.choose(candidate);
            listener.changed(Change.STEP);
            listener.changed(Change.OBJECTS);
        }
    }

    // ---- objects -------------------------------------------------------------------------------

    /**
     * A new, empty object becomes the current one (undoable), so a label can be given before the first
     * click. The current object is kept instead when it is still empty and unnamed.
     */
    public void newObject() {
        if (mode == Mode.NO_IMAGE || mode == Mode.PICKING_FROM_EVERYTHING) {
            return;
        }
        if (selected != null && isBlank(selected)) {
            return;
        }
        leavePickingOrShare();
        dropHover();
        SegmentObject previous = selected;
        selected = null;
        ensureSelected(previous);
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    private static boolean isBlank(SegmentObject object) {
        return object.current().prompt.isEmpty() && object.current().fixedMask == null && object.label().isEmpty();
    }

    /** The current object is done: none is selected, and the next click starts a new object. */
    public void finishObject() {
        if (selected != null) {
            selected = null;
            dropHover();
            listener.changed(Change.STEP);
            listener.changed(Change.OBJECTS);
        }
    }

    /** Makes the object with this id the current one (its prompts are what clicks edit next). */
    public void select(int id) {
        SegmentObject object = byId(id);
        if (object != null && object != selected && mode != Mode.PICKING_FROM_EVERYTHING) {
            selected = object;
            dropHover();
            listener.changed(Change.STEP);
            listener.changed(Change.OBJECTS);
        }
    }

    /** Selects the next (+1) or previous (-1) object in the list, wrapping around; from none, the first or last. */
    public void selectNext(int direction) {
        if (objects.isEmpty()) {
            return;
        }
        int at = selected == null ? (direction > 0 ? -1 : objects.size()) : objects.indexOf(selected);
        select(objects.get(Math.floorMod(at + direction, objects.size())).id);
    }

    /** Names an object (blank removes the name); the label joins the image's recent labels. */
    public void rename(int id, String label) {
        SegmentObject object = byId(id);
        if (object == null) {
            return;
        }
        String clean = label == null ? "" : label.strip();
        object.setLabel(clean);
        recentLabels.use(clean);
        listener.changed(Change.OBJECTS);
    }

    /** Gives the current object the n-th recent label (the keys 1-9); false when there is none to give. */
    public boolean labelFromRecent(int n) {
        String label = recentLabels.get(n);
        if (selected == null || label == null) {
            return false;
        }
        rename(selected.id, label);
        return true;
    }

    public void setHidden(int id, boolean hidden) {
        SegmentObject object = byId(id);
        if (object != null && object.isHidden() != hidden) {
            object.setHidden(hidden);
            listener.changed(Change.OBJECTS);
        }
    }

    /** Deletes an object (undoable: undo puts it back at its place, with its history). */
    public void delete(int id) {
        SegmentObject object = byId(id);
        if (object == null || mode == Mode.PICKING_FROM_EVERYTHING) {
            return;
        }
        int index = objects.indexOf(object);
        objects.remove(index);
        record(new ObjectEdit(ObjectEdit.Kind.DELETE, object, index, false));
        if (selected == object) {
            selected = null;
        }
        leavePickingOrShare();
        dropHover();
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    /** Moves an object up (-1) or down (+1) the list; the list order is the export's order. */
    public void move(int id, int direction) {
        SegmentObject object = byId(id);
        if (object == null) {
            return;
        }
        int from = objects.indexOf(object);
        int to = from + direction;
        if (to >= 0 && to < objects.size()) {
            objects.remove(from);
            objects.add(to, object);
            listener.changed(Change.OBJECTS);
        }
    }

    private SegmentObject byId(int id) {
        for (SegmentObject object : objects) {
            if (object.id == id) {
                return object;
            }
        }
        return null;
    }

    /** The image's objects in list order (a copy). */
    public List<SegmentObject> objects() {
        return List.copyOf(objects);
    }

    /** The current object, or null when none is selected (the next click starts one). */
    public SegmentObject selected() {
        return selected;
    }

    /** The colour the next new object will get (the hover preview shows it). */
    public int nextObjectColour() {
        return nextObjectId - 1;
    }

    public RecentLabels recentLabels() {
        return recentLabels;
    }

    /** An object's mask at image size (decoded masks upsampled once and kept), or null while it has none. */
    public BinaryMask maskOf(SegmentObject object) {
        return upsampler == null ? null : object.current().mask(upsampler);
    }

    /** Every object that has a mask, as it would be stored (a share, the browser's storage, an export). */
    public List<ObjectSnapshot> snapshot() {
        List<ObjectSnapshot> out = new ArrayList<>();
        for (SegmentObject object : objects) {
            BinaryMask mask = maskOf(object);
            if (mask != null) {
                HistoryEntry now = object.current();
                int maskIndex = now.fixedMask == null && now.result() != null ? now.result().chosen() : -1;
                out.add(new ObjectSnapshot(object.id, object.label(), now.prompt, maskIndex, mask, object.isHidden(),
                        now.maskCounts(upsampler)));
            }
        }
        return out;
    }

    // ---- hover ---------------------------------------------------------------------------------

    /**
     * The pointer rests at (x, y) with nothing clicked yet: previews the mask a click there would give.
     * A newer probe replaces one still waiting in the decoder.
     */
    public void hoverAt(float x, float y) {
        if (!acceptsPrompts() || !current().prompt.isEmpty() || current().fixedMask != null) {
            return;
        }
        hoverPrompt = Prompt.point(x, y, Prompt.FOREGROUND);
        newestHoverRequest = decoder.hover(hoverPrompt);
    }

    /** The pointer left, or pressed: no preview. */
    public void stopHover() {
        if (hoverPrompt != null || hoverMasks != null) {
            dropHover();
            listener.changed(Change.HOVER);
        }
    }

    private void dropHover() {
        if (hoverPrompt != null) {
            decoder.cancelHover();
        }
        hoverPrompt = null;
        hoverMasks = null;
        newestHoverRequest = -1;
        shownHoverRequest = -1;
    }

    // ---- everything ----------------------------------------------------------------------------

    /** Every object's masks are (about to be) shown: prompting pauses, the preview goes. */
    public void enterEverything() {
        if (mode == Mode.NO_IMAGE) {
            return;
        }
        dropHover();
        setMode(Mode.PICKING_FROM_EVERYTHING);
        listener.changed(Change.HOVER);
    }

    /** Back to prompting with the current step as it was. */
    public void leaveEverything() {
        if (mode == Mode.PICKING_FROM_EVERYTHING) {
            setMode(embedded ? Mode.EMBEDDED : Mode.PROMPTING);
        }
    }

    /**
     * One of the found masks becomes a new object, selected (one undoable edit); the next click refines it.
     */
    public void pickFromEverything(BinaryMask mask) {
        leaveEverything();
        SegmentObject previous = selected;
        selected = null;
        ensureSelected(previous);
        selected.history.pushFixed(mask);
        record(new ObjectEdit(ObjectEdit.Kind.STEP, selected, -1, true));
        listener.changed(Change.STEP);
        listener.changed(Change.OBJECTS);
    }

    // ---- decoder answers -----------------------------------------------------------------------

    /** An answer from the decoder: a click's masks go to their step, a hover probe's to the preview. */
    public void decoded(int requestId, DecodedMasks masks) {
        if (requestId == decodingRequest && decoding != null) {
            FirstClickChoice.apply(masks, decoding.prompt, decodingMaskInput != null, transform);
            decoding.setResult(masks);
            HistoryEntry finished = decoding;
            decoding = null;
            decodingMaskInput = null;
            decodingRequest = -1;
            pump();
            if (finished == current()) {
                listener.changed(Change.STEP);
            }
            listener.changed(Change.OBJECTS); // another object's mask may have arrived
            if (!isBusy()) {
                listener.changed(Change.BUSY);
            }
        } else if (hoverPrompt != null && requestId > shownHoverRequest && requestId <= newestHoverRequest
                && current().prompt.isEmpty()) {
            // An older probe may land after a newer one was sent: show it, it is closer to the pointer than
            // nothing, unless a newer answer is already on screen.
            shownHoverRequest = requestId;
            FirstClickChoice.apply(masks, hoverPrompt, false, transform); // preview what a click would give
            hoverMasks = masks;
            listener.changed(Change.HOVER);
        }
    }

    /** The decoder failed on a request: the waiting clicks are dropped (their steps stay, without masks). */
    public void decodeFailed(int requestId) {
        if (requestId == decodingRequest || requestId < 0) {
            decoding = null;
            decodingMaskInput = null;
            decodingRequest = -1;
            awaiting.clear();
            listener.changed(Change.BUSY);
            listener.changed(Change.STEP);
        }
    }

    // ---- what the page draws -------------------------------------------------------------------

    public Mode mode() {
        return mode;
    }

    private void setMode(Mode next) {
        if (mode != next) {
            mode = next;
            listener.changed(Change.MODE);
        }
    }

    public CoordinateTransform transform() {
        return transform;
    }

    public boolean isDecoderReady() {
        return decoderReady;
    }

    /** The selected object's current step, or an empty step when no object is selected. */
    public HistoryEntry current() {
        return selected == null ? NOTHING : selected.history.current();
    }

    /** The current step's decoded masks, or null (not decoded yet, empty, or a fixed mask). */
    public DecodedMasks currentMasks() {
        HistoryEntry current = current();
        return current.fixedMask != null || current.prompt.isEmpty() ? null : current.result();
    }

    /** The current step's mask that came as pixels (a share's stored mask, a pick from everything), or null. */
    public BinaryMask currentFixedMask() {
        return current().fixedMask;
    }

    /** Whether the current step shows a mask (decoded or fixed). */
    public boolean hasMask() {
        return currentFixedMask() != null || currentMasks() != null;
    }

    /** Whether the current step offers its three candidates. */
    public boolean offersCandidates() {
        return currentMasks() != null && current().prompt.offersCandidates();
    }

    /** The hover preview's masks (their chosen one is what to show), or null. */
    public DecodedMasks hoverMasks() {
        return hoverMasks;
    }

    public boolean isBusy() {
        return decoding != null || !awaiting.isEmpty();
    }

    public boolean canUndo() {
        return decoderReady && mode != Mode.PICKING_FROM_EVERYTHING && logPosition > 0;
    }

    public boolean canRedo() {
        return decoderReady && mode != Mode.PICKING_FROM_EVERYTHING && logPosition < log.size();
    }

    /** Something to clear, and the viewer of a share has acted (the author's mask is not theirs to clear). */
    public boolean canClear() {
        HistoryEntry current = current();
        return selected != null && decoderReady && mode != Mode.VIEWING_SHARE && mode != Mode.PICKING_FROM_EVERYTHING
                && mode != Mode.NO_IMAGE && (!current.prompt.isEmpty() || current.fixedMask != null);
    }
}

package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.prompt.CoordinateTransform;
import java.util.ArrayDeque;

/**
 * One image's segmentation, as plain Java (no browser types: it runs on the JVM in tests and in the
 * page through TeaVM). It owns the prompt history (undo/redo), the one decode queue (clicks in order,
 * each fed the mask of the step before it; at most one hover probe, the newest), the committed mask and
 * the mode. The page turns input into calls here and draws what {@link Listener} reports; the
 * embed bridge and the share view drive the same calls.
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
        BUSY
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
    private PromptHistory history = new PromptHistory();

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

    /** A new image: nothing of the previous one survives (history, queue, hover, everything view). */
    public void startImage(int width, int height) {
        reset(width, height, new PromptHistory());
        setMode(embedded ? Mode.EMBEDDED : Mode.PROMPTING);
        listener.changed(Change.STEP);
    }

    /**
     * A share's image: the author's prompt and stored mask are the first step (nothing to undo before
     * it, and nothing to clear until the viewer acts). A share of a mask picked from everything has an
     * empty prompt: the viewer's first click then refines the mask's box, as after a pick.
     */
    public void startShare(int width, int height, Prompt authorPrompt, BinaryMask authorMask) {
        reset(width, height, new PromptHistory(authorPrompt, authorMask));
        setMode(Mode.VIEWING_SHARE);
        listener.changed(Change.STEP);
    }

    private void reset(int width, int height, PromptHistory fresh) {
        transform = new CoordinateTransform(width, height);
        history = fresh;
        decoderReady = false;
        awaiting.clear();
        decoding = null;
        decodingMaskInput = null;
        decodingRequest = -1;
        dropHover();
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
        push(history.current().prompt.withBox(x0, y0, x1, y1));
    }

    /** A whole prompt at once (the embed's setPrompts): one undoable step, not fed an unrelated earlier mask. */
    public void replacePrompt(Prompt prompt) {
        if (!acceptsPrompts()) {
            return;
        }
        leavePickingOrShare();
        dropHover();
        enqueue(history.replace(prompt));
        listener.changed(Change.STEP);
    }

    /**
     * After a picked or shared mask without a prompt, the next click refines that mask: the decoder has
     * no logits of it to feed back, so its bounding box becomes the click's box prompt.
     */
    private Prompt startingPrompt() {
        HistoryEntry current = history.current();
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
        enqueue(history.push(prompt));
        listener.changed(Change.STEP);
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

    public void undo() {
        if (canUndo()) {
            history.undo();
            afterHistoryMove();
        }
    }

    public void redo() {
        if (canRedo()) {
            history.redo();
            afterHistoryMove();
        }
    }

    /** Empties the prompt (an undoable step); a picked mask goes too. */
    public void clear() {
        if (!canClear()) {
            return;
        }
        leavePickingOrShare();
        dropHover();
        history.clear();
        listener.changed(Change.STEP);
    }

    private void afterHistoryMove() {
        leavePickingOrShare();
        dropHover();
        listener.changed(Change.STEP);
    }

    /** Shows another of the current step's three candidates; the next click refines that one. */
    public void choose(int candidate) {
        DecodedMasks result = history.current().result();
        if (result != null && history.current().prompt.offersCandidates() && candidate >= 1
                && candidate < DecodedMasks.MASKS) {
            result.choose(candidate);
            listener.changed(Change.STEP);
        }
    }

    // ---- hover ---------------------------------------------------------------------------------

    /**
     * The pointer rests at (x, y) with nothing clicked yet: previews the mask a click there would give.
     * A newer probe replaces one still waiting in the decoder.
     */
    public void hoverAt(float x, float y) {
        if (!acceptsPrompts() || !history.current().prompt.isEmpty() || history.current().fixedMask != null) {
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

    /** One of the found masks becomes the current mask, as an undoable step; the next click refines it. */
    public void pickFromEverything(BinaryMask mask) {
        leaveEverything();
        history.pushFixed(mask);
        listener.changed(Change.STEP);
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
            if (finished == history.current()) {
                listener.changed(Change.STEP);
            }
            if (!isBusy()) {
                listener.changed(Change.BUSY);
            }
        } else if (hoverPrompt != null && requestId > shownHoverRequest && requestId <= newestHoverRequest
                && history.current().prompt.isEmpty()) {
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

    public HistoryEntry current() {
        return history.current();
    }

    /** The current step's decoded masks, or null (not decoded yet, empty, or a fixed mask). */
    public DecodedMasks currentMasks() {
        HistoryEntry current = history.current();
        return current.fixedMask != null || current.prompt.isEmpty() ? null : current.result();
    }

    /** The current step's mask that came as pixels (a share's stored mask, a pick from everything), or null. */
    public BinaryMask currentFixedMask() {
        return history.current().fixedMask;
    }

    /** Whether the current step shows a mask (decoded or fixed). */
    public boolean hasMask() {
        return currentFixedMask() != null || currentMasks() != null;
    }

    /** Whether the current step offers its three candidates. */
    public boolean offersCandidates() {
        return currentMasks() != null && history.current().prompt.offersCandidates();
    }

    /** The hover preview's masks (their chosen one is what to show), or null. */
    public DecodedMasks hoverMasks() {
        return hoverMasks;
    }

    public boolean isBusy() {
        return decoding != null || !awaiting.isEmpty();
    }

    public boolean canUndo() {
        return decoderReady && mode != Mode.PICKING_FROM_EVERYTHING && history.canUndo();
    }

    public boolean canRedo() {
        return decoderReady && mode != Mode.PICKING_FROM_EVERYTHING && history.canRedo();
    }

    /** Something to clear, and the viewer of a share has acted (the author's mask is not theirs to clear). */
    public boolean canClear() {
        HistoryEntry current = history.current();
        return decoderReady && mode != Mode.VIEWING_SHARE && mode != Mode.PICKING_FROM_EVERYTHING
                && mode != Mode.NO_IMAGE && (!current.prompt.isEmpty() || current.fixedMask != null);
    }
}

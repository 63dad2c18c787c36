package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import java.util.ArrayList;
import java.util.List;

/**
 * Undo/redo over prompt steps. Index 0 is the starting step (the empty prompt, or a share's author's
 * prompt and mask) and cannot be undone; every edit pushes a new step and drops the redo tail;
 * clearing is a step too, so it can be undone.
 */
public final class PromptHistory {
    /** Steps kept; each decoded step holds 1 MiB of logits. */
    static final int CAPACITY = 64;

    private final List<HistoryEntry> entries = new ArrayList<>();
    private int current;

    public PromptHistory() {
        entries.add(new HistoryEntry(Prompt.empty(), null));
    }

    /** Starts from a prompt whose mask came as pixels (a share): that step is where undo stops. */
    public PromptHistory(Prompt prompt, BinaryMask mask) {
        entries.add(new HistoryEntry(prompt, null, mask));
    }

    public HistoryEntry current() {
        return entries.get(current);
    }

    public boolean canUndo() {
        return current > 0;
    }

    public boolean canRedo() {
        return current < entries.size() - 1;
    }

    /** Adds the next step after the current one, discarding anything that could be redone. */
    public HistoryEntry push(Prompt prompt) {
        HistoryEntry previous = current();
        return add(prompt, prompt.isEmpty() || previous.prompt.isEmpty() ? null : previous);
    }

    /**
     * Like {@link #push}, but the step starts afresh: a prompt given whole (the embed's setPrompts)
     * is not fed the mask of an unrelated earlier prompt. One undo restores the earlier prompt.
     */
    public HistoryEntry replace(Prompt prompt) {
        return add(prompt, null);
    }

    /** A step whose mask came as pixels (picked from everything), with no prompt of its own. */
    public HistoryEntry pushFixed(BinaryMask mask) {
        return append(new HistoryEntry(Prompt.empty(), null, mask));
    }

    private HistoryEntry add(Prompt prompt, HistoryEntry source) {
        return append(new HistoryEntry(prompt, source));
    }

    private HistoryEntry append(HistoryEntry next) {
        while (entries.size() > current + 1) {
            entries.remove(entries.size() - 1);
        }
        entries.add(next);
        if (entries.size() > CAPACITY) {
            entries.remove(1); // keep the empty root, forget the oldest edit
        }
        current = entries.size() - 1;
        return next;
    }

    public HistoryEntry undo() {
        if (canUndo()) {
            current--;
        }
        return current();
    }

    public HistoryEntry redo() {
        if (canRedo()) {
            current++;
        }
        return current();
    }

    /** Pushes an empty step unless the current one already is (no prompt, no mask). */
    public HistoryEntry clear() {
        HistoryEntry now = current();
        return now.prompt.isEmpty() && now.fixedMask == null ? now : push(Prompt.empty());
    }
}

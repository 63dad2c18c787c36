package clickseg.web.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Undo/redo over prompt steps. Index 0 is always the empty prompt; every edit pushes a new
 * step and drops the redo tail; clearing is a step too, so it can be undone.
 */
public final class PromptHistory {
    /** Steps kept; each decoded step holds 1 MiB of logits. */
    static final int CAPACITY = 64;

    private final List<HistoryEntry> entries = new ArrayList<>();
    private int current;

    public PromptHistory() {
        entries.add(new HistoryEntry(PromptState.EMPTY, null));
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
    public HistoryEntry push(PromptState prompt) {
        HistoryEntry previous = current();
        return add(prompt, prompt.isEmpty() || previous.prompt.isEmpty() ? null : previous);
    }

    /**
     * Like {@link #push}, but the step starts afresh: a prompt given whole (the embed's setPrompts)
     * is not fed the mask of an unrelated earlier prompt. One undo restores the earlier prompt.
     */
    public HistoryEntry replace(PromptState prompt) {
        return add(prompt, null);
    }

    private HistoryEntry add(PromptState prompt, HistoryEntry source) {
        while (entries.size() > current + 1) {
            entries.remove(entries.size() - 1);
        }
        HistoryEntry next = new HistoryEntry(prompt, source);
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

    /** Pushes an empty prompt unless the current one already is. */
    public HistoryEntry clear() {
        return current().prompt.isEmpty() ? current() : push(PromptState.EMPTY);
    }
}

package clickseg.web.session;

/**
 * One labelled object of an image: its own prompt history (so its prompts edit only it), its label
 * (free text, empty until named), its colour (an index into {@link ObjectPalette}) and whether it is
 * hidden. The id is unique within the image and never reused, so a deleted object that comes back
 * by undo keeps it.
 */
public final class SegmentObject {
    public final int id;
    public final int colour;
    final PromptHistory history;
    private String label;
    private boolean hidden;

    SegmentObject(int id, int colour, String label, PromptHistory history) {
        this.id = id;
        this.colour = colour;
        this.label = label == null ? "" : label;
        this.history = history;
    }

    /** The label as typed, or "" when the object has none. */
    public String label() {
        return label;
    }

    /** What to call the object on screen: its label, or "Object {id}". */
    public String displayName() {
        return label.isEmpty() ? "Object " + id : label;
    }

    void setLabel(String label) {
        this.label = label;
    }

    public boolean isHidden() {
        return hidden;
    }

    void setHidden(boolean hidden) {
        this.hidden = hidden;
    }

    /** The object's current step (its prompt and mask). */
    public HistoryEntry current() {
        return history.current();
    }

    /** Whether the object shows a mask: a decoded one, or one that came as pixels. */
    public boolean hasMask() {
        HistoryEntry now = history.current();
        return now.fixedMask != null || (!now.prompt.isEmpty() && now.result() != null);
    }
}

package clickseg.web.session;

/**
 * One entry of the image's undo log. Each object keeps its own prompt history; this log orders the
 * edits across objects, so undo walks back through every object in the order things were done:
 * a prompt step of one object, or an object created or deleted (at its place in the list).
 * {@code joined} ties an entry to the one before it: undo and redo take both at once (a click with
 * no object selected creates the object and its first step in one go). {@code previous} is the object
 * that was selected before a creation: undoing the creation selects it again.
 */
final class ObjectEdit {
    enum Kind { STEP, CREATE, DELETE }

    final Kind kind;
    final SegmentObject object;
    final int index;
    final boolean joined;
    final SegmentObject previous;

    ObjectEdit(Kind kind, SegmentObject object, int index, boolean joined) {
        this(kind, object, index, joined, null);
    }

    ObjectEdit(Kind kind, SegmentObject object, int index, boolean joined, SegmentObject previous) {
        this.kind = kind;
        this.object = object;
        this.index = index;
        this.joined = joined;
        this.previous = previous;
    }
}

package clickseg.web.session;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;

/**
 * An object as stored outside the session (a share, the browser's storage): its label, the prompt
 * that made its mask, which decoder mask was kept (0..3, or -1), the mask as pixels and whether it
 * is hidden, and the mask's COCO RLE counts when they are already known (null: encode the mask). Restored
 * objects start from it as their first step, like a share's mask.
 */
public record ObjectSnapshot(int id, String label, Prompt prompt, int maskIndex, BinaryMask mask, boolean hidden,
                             String maskCounts) {

    public ObjectSnapshot(int id, String label, Prompt prompt, int maskIndex, BinaryMask mask, boolean hidden) {
        this(id, label, prompt, maskIndex, mask, hidden, null);
    }

    /** The mask's COCO compressed RLE counts (the known ones, else encoded now). */
    public String counts() {
        return maskCounts != null ? maskCounts : clickseg.mask.RunLengthEncoding.encode(mask);
    }
}

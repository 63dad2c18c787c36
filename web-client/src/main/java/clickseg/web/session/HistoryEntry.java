package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;

/**
 * One step of the segmentation: the prompt, the step whose chosen mask is fed back to the
 * decoder as mask input (null for the first click after an empty prompt), and the mask: the
 * decoder's answer once it has arrived (null while the worker is still decoding), or a mask that
 * came as pixels and is never decoded (a share's stored mask, a mask picked from everything).
 */
public final class HistoryEntry {
    public final Prompt prompt;
    public final HistoryEntry maskSource;
    /** (image height, width) the step's mask as pixels, or null when it is decoded. */
    public final BinaryMask fixedMask;
    private DecodedMasks result;

    public HistoryEntry(Prompt prompt, HistoryEntry maskSource) {
        this(prompt, maskSource, null);
    }

    HistoryEntry(Prompt prompt, HistoryEntry maskSource, BinaryMask fixedMask) {
        this.prompt = prompt;
        this.maskSource = maskSource;
        this.fixedMask = fixedMask;
    }

    public DecodedMasks result() {
        return result;
    }

    public void setResult(DecodedMasks result) {
        this.result = result;
    }
}

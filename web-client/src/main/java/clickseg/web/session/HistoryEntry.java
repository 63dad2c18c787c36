package clickseg.web.session;

/**
 * One step of the segmentation: the prompt, the step whose chosen mask is fed back to the
 * decoder as mask input (null for the first click after an empty prompt), and the decoder's
 * answer once it has arrived (null while the worker is still decoding).
 */
public final class HistoryEntry {
    public final PromptState prompt;
    public final HistoryEntry maskSource;
    private DecodedMasks result;

    public HistoryEntry(PromptState prompt, HistoryEntry maskSource) {
        this.prompt = prompt;
        this.maskSource = maskSource;
    }

    public DecodedMasks result() {
        return result;
    }

    public void setResult(DecodedMasks result) {
        this.result = result;
    }
}

package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import clickseg.mask.MaskUpsampler;
import clickseg.mask.RunLengthEncoding;

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
    private BinaryMask upsampled;  // the chosen decoded mask at image size, made when first asked for
    private int upsampledChoice = -1;
    private BinaryMask counted;    // the mask the counts below encode
    private String counts;

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
        this.upsampled = null;
    }

    /**
     * The step's mask at image size: its pixels, or its chosen decoded mask upsampled (once per choice,
     * then kept: every object is drawn and exported from it); null while undecoded or empty.
     */
    public BinaryMask mask(MaskUpsampler upsampler) {
        if (fixedMask != null) {
            return fixedMask;
        }
        if (prompt.isEmpty() || result == null) {
            return null;
        }
        if (upsampled == null || upsampledChoice != result.chosen()) {
            upsampled = upsampler.toMask(result.lowResLogits, result.chosenOffset());
            upsampledChoice = result.chosen();
        }
        return upsampled;
    }

    /**
     * {@link #mask}'s COCO compressed RLE counts, encoded once per mask and kept: every save, share and
     * embed message carries every object's RLE, and encoding a 12-megapixel mask takes a third of a second
     * on the JVM (measured: 353 ms for 4000 × 3000), so it is done once, not per change.
     */
    public String maskCounts(MaskUpsampler upsampler) {
        BinaryMask now = mask(upsampler);
        if (now == null) {
            return null;
        }
        if (now != counted) {
            counts = RunLengthEncoding.encode(now);
            counted = now;
        }
        return counts;
    }
}

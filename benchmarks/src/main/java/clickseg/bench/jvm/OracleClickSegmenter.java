package clickseg.bench.jvm;

import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;

/** SAM's own decoder graph in ONNX Runtime as a click session sees it: the single-mask export picks the mask. */
final class OracleClickSegmenter implements InteractiveSegmenter {
    private final OnnxSamDecoder sam;
    private final float[] embedding; // (256, 64, 64)
    private final CoordinateTransform transform;
    private long nanos;
    private int decodes;

    OracleClickSegmenter(OnnxSamDecoder sam, float[] embedding, CoordinateTransform transform) {
        this.sam = sam;
        this.embedding = embedding;
        this.transform = transform;
    }

    @Override
    public void segment(Prompt prompt, float[] maskInput, float[] lowResOut, boolean[] maskOut) throws Exception {
        long start = System.nanoTime();
        OnnxSamDecoder.Result r = sam.decode(embedding, prompt, transform, maskInput);
        nanos += System.nanoTime() - start;
        decodes++;
        System.arraycopy(r.lowResLogits(), 0, lowResOut, 0, lowResOut.length);
        System.arraycopy(r.mask(), 0, maskOut, 0, maskOut.length);
    }

    long decodeNanos() {
        return nanos;
    }

    int decodes() {
        return decodes;
    }
}

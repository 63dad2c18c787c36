package clickseg.bench.browser.wasm;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.Prompt;
import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The browser benchmark's own TeaVM program: shared's {@link MaskDecoder} with nothing around it,
 * so the benchmark can time the real decoder on the page's main thread (and in a plain worker)
 * whatever backend the web client's worker currently wires in.
 *
 * <p>{@code main} publishes {@code self.clicksegBenchDecoder = {loadWeights, loadEmbedding, decode}}:
 * <ul>
 * <li>{@code loadWeights(Int8Array)}: a DecoderWeightsCodec file; builds the decoder once.</li>
 * <li>{@code loadEmbedding(Int8Array)}: an EmbeddingCodec container; runs {@code prepare} once per image.</li>
 * <li>{@code decode(Float32Array points (n,2) original px, Int32Array labels (n), Float32Array box (4) or
 *     (0), Float32Array maskInput (256·256) previous low-res logits to refine, or (0))} → {@code {logits: Float32Array (4,256,256), iou: Float32Array (4), selected, millis, multiplyAdds}},
 *     the fields the web client's worker answers with plus the decoder's own count of multiply-adds.</li>
 * </ul>
 */
public final class BenchDecoderEntry {
    private static MaskDecoder decoder;
    private static ImageContext image;
    private static final DecoderResult RESULT = new DecoderResult();

    private BenchDecoderEntry() {
    }

    @JSFunctor
    interface TakesBytes extends JSObject {
        void accept(Int8Array bytes);
    }

    @JSFunctor
    interface Decodes extends JSObject {
        JSObject decode(Float32Array points, Int32Array labels, Float32Array box, Float32Array maskInput);
    }

    public static void main(String[] args) {
        publish(BenchDecoderEntry::loadWeights, BenchDecoderEntry::loadEmbedding, BenchDecoderEntry::decode);
    }

    private static void loadWeights(Int8Array bytes) {
        decoder = MaskDecoder.forScalarRuntime(DecoderWeightsCodec.decode(bytes.copyToJavaArray()));
    }

    private static void loadEmbedding(Int8Array bytes) {
        if (decoder == null) {
            throw new IllegalStateException("load the decoder weights before an embedding");
        }
        EmbeddingContainer container = EmbeddingCodec.decode(bytes.copyToJavaArray());
        image = decoder.prepare(container.data(), container.originalWidth(), container.originalHeight());
    }

    private static JSObject decode(Float32Array points, Int32Array labels, Float32Array box, Float32Array maskInput) {
        if (image == null) {
            throw new IllegalStateException("load an embedding before decoding");
        }
        double started = now();
        Prompt prompt = Prompt.points(points.copyToJavaArray(), labels.copyToJavaArray());
        if (box.getLength() == 4) {
            prompt = prompt.withBox(box.get(0), box.get(1), box.get(2), box.get(3));
        }
        float[] previous = maskInput.getLength() == 0 ? null : maskInput.copyToJavaArray();
        decoder.decode(image, prompt, previous, RESULT);
        Float32Array logits = Float32Array.copyFromJavaArray(RESULT.lowResLogits);
        Float32Array iou = Float32Array.copyFromJavaArray(RESULT.iou);
        return answer(logits, iou, RESULT.selected(), now() - started, RESULT.multiplyAdds());
    }

    @JSBody(params = {"loadWeights", "loadEmbedding", "decode"},
            script = "self.clicksegBenchDecoder = {loadWeights: loadWeights, loadEmbedding: loadEmbedding, decode: decode};")
    private static native void publish(TakesBytes loadWeights, TakesBytes loadEmbedding, Decodes decode);

    @JSBody(params = {"logits", "iou", "selected", "millis", "multiplyAdds"},
            script = "return {logits: logits, iou: iou, selected: selected, millis: millis, multiplyAdds: multiplyAdds};")
    private static native JSObject answer(Float32Array logits, Float32Array iou, int selected, double millis,
                                          double multiplyAdds);

    @JSBody(script = "return performance.now();")
    private static native double now();
}

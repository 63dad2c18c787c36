package clickseg.web.js;

import clickseg.decoder.DecoderResult;
import clickseg.web.worker.DecoderBackend;
import clickseg.web.worker.MaskDecoderBackend;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;

/**
 * The decoder worker: runs in a Web Worker, turns page messages into {@link DecoderBackend}
 * calls and answers with the four low-resolution masks (transferred, not copied).
 *
 * <p>Protocol, page → worker (all messages are plain objects with a {@code type}):
 * <ul>
 * <li>{@code {type:'weights', bytes:ArrayBuffer}} → {@code {type:'weights-loaded'}}</li>
 * <li>{@code {type:'embedding', image:int, bytes:ArrayBuffer}} → {@code {type:'embedding-loaded', image}}</li>
 * <li>{@code {type:'decode', id:int, points:Float32Array (n,2) original px, labels:Int32Array (n),
 *     box:Float32Array(4)|null, maskInput:Float32Array(256*256)|null}} →
 *     {@code {type:'decoded', id, logits:Float32Array(4*256*256), iou:Float32Array(4),
 *     stability:Float32Array(4), selected:int, millis:number}}</li>
 * <li>one decode shared by S workers, each computing a row stripe of the 64×64 token grid:
 *     {@code {type:'stripe-begin', id, rowStart, rowEnd, points, labels, box, maskInput}} and then each
 *     {@code {type:'stripe-merge', id, stripes:S, partials0..partials(S-1):Float32Array}} (all stripes'
 *     latest partials, in stripe order) → {@code {type:'stripe-partials', id, partials:Float32Array}}
 *     until the last merge, which answers {@code {type:'stripe-decoded', id, rowStart, rowEnd,
 *     logits:Float32Array(4*256*256) (rows 4·rowStart..4·rowEnd of each mask are this stripe's),
 *     iou:Float32Array(4), selected:int}}</li>
 * </ul>
 * Any failure answers {@code {type:'error', id, message}} (id -1 when not about a decode).
 * On start the worker says {@code {type:'worker-ready', runtime}}. Messages are handled in the
 * order they arrive, so a page may post the weights and then an embedding without waiting.
 */
public final class WorkerMain {
    private final MaskDecoderBackend backend = new MaskDecoderBackend();
    private final float[] logits = new float[DecoderBackend.MASKS * DecoderBackend.LOW_RES * DecoderBackend.LOW_RES];
    private final float[] iou = new float[DecoderBackend.MASKS];
    private final float[] stability = new float[DecoderBackend.MASKS];
    private int stripeRowStart;
    private int stripeRowEnd;

    public static void start(String runtime) {
        WorkerMain worker = new WorkerMain();
        Browser.onMessageToWorker(worker::handle);
        JSObject ready = Browser.message("worker-ready");
        Browser.putString(ready, "runtime", runtime);
        Browser.postToPage(ready);
    }

    private void handle(JSObject data) {
        String type = Browser.string(data, "type");
        int id = Browser.has(data, "id") ? (int) Browser.number(data, "id") : -1;
        try {
            if ("decode".equals(type)) {
                decode(data, id);
            } else if ("stripe-begin".equals(type)) {
                float[] points = Browser.floats(data, "points").copyToJavaArray();
                int[] labels = Browser.ints(data, "labels").copyToJavaArray();
                float[] box = Browser.has(data, "box") ? Browser.floats(data, "box").copyToJavaArray() : null;
                float[] maskInput = Browser.has(data, "maskInput") ? Browser.floats(data, "maskInput").copyToJavaArray() : null;
                stripeRowStart = (int) Browser.number(data, "rowStart");
                stripeRowEnd = (int) Browser.number(data, "rowEnd");
                answerStripe(id, backend.beginStripe(points, labels, box, maskInput, stripeRowStart, stripeRowEnd));
            } else if ("stripe-merge".equals(type)) {
                int stripes = (int) Browser.number(data, "stripes");
                float[][] partials = new float[stripes][];
                for (int i = 0; i < stripes; i++) {
                    partials[i] = Browser.floats(data, "partials" + i).copyToJavaArray();
                }
                answerStripe(id, backend.continueStripe(partials));
            } else if ("embedding".equals(type)) {
                backend.loadEmbedding(bytes(data));
                JSObject done = Browser.message("embedding-loaded");
                Browser.putNumber(done, "image", Browser.number(data, "image"));
                Browser.postToPage(done);
            } else if ("weights".equals(type)) {
                backend.loadWeights(bytes(data));
                Browser.postToPage(Browser.message("weights-loaded"));
            } else {
                throw new IllegalArgumentException("unknown message type " + type);
            }
        } catch (RuntimeException e) {
            JSObject error = Browser.message("error");
            Browser.putNumber(error, "id", id);
            Browser.putString(error, "message", e.getMessage() == null ? e.toString() : e.getMessage());
            Browser.postToPage(error);
        }
    }

    private void decode(JSObject data, int id) {
        double started = Browser.now();
        float[] points = Browser.floats(data, "points").copyToJavaArray();
        int[] labels = Browser.ints(data, "labels").copyToJavaArray();
        float[] box = Browser.has(data, "box") ? Browser.floats(data, "box").copyToJavaArray() : null;
        float[] maskInput = Browser.has(data, "maskInput") ? Browser.floats(data, "maskInput").copyToJavaArray() : null;
        int selected = backend.decode(points, labels, box, maskInput, logits, iou, stability);
        Float32Array logitsOut = Float32Array.copyFromJavaArray(logits);
        JSObject answer = Browser.message("decoded");
        Browser.putNumber(answer, "id", id);
        Browser.put(answer, "logits", logitsOut);
        Browser.put(answer, "iou", Float32Array.copyFromJavaArray(iou));
        Browser.put(answer, "stability", Float32Array.copyFromJavaArray(stability));
        Browser.putNumber(answer, "selected", selected);
        Browser.putNumber(answer, "millis", Browser.now() - started);
        Browser.postToPageTransferring(answer, Browser.bufferOf(logitsOut));
    }

    private void answerStripe(int id, float[] partials) {
        if (partials != null) {
            JSObject answer = Browser.message("stripe-partials");
            Browser.putNumber(answer, "id", id);
            Browser.put(answer, "partials", Float32Array.copyFromJavaArray(partials));
            Browser.postToPage(answer);
            return;
        }
        DecoderResult result = backend.stripeResult();
        Float32Array logitsOut = Float32Array.copyFromJavaArray(result.lowResLogits);
        JSObject answer = Browser.message("stripe-decoded");
        Browser.putNumber(answer, "id", id);
        Browser.putNumber(answer, "rowStart", stripeRowStart);
        Browser.putNumber(answer, "rowEnd", stripeRowEnd);
        Browser.put(answer, "logits", logitsOut);
        Browser.put(answer, "iou", Float32Array.copyFromJavaArray(result.iou));
        Browser.putNumber(answer, "selected", result.selected());
        // posted, not transferred: in the JavaScript build the typed array may share the decoder's
        // own result storage, which a transfer would detach for the next decode
        Browser.postToPage(answer);
    }

    private static byte[] bytes(JSObject data) {
        return Browser.bytesOf(Browser.object(data, "bytes")).copyToJavaArray();
    }
}

package clickseg.web.js;

import clickseg.decoder.DecoderResult;
import clickseg.web.worker.DecoderBackend;
import clickseg.web.worker.MaskDecoderBackend;
import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;

/**
 * The decoder worker: runs in a Web Worker, turns page messages into {@link DecoderBackend}
 * calls and answers with the four low-resolution masks.
 *
 * <p>Protocol, page → worker (all messages are plain objects with a {@code type}):
 * <ul>
 * <li>{@code {type:'weights', bytes:ArrayBuffer}} → {@code {type:'weights-loaded'}}</li>
 * <li>{@code {type:'embedding', image:int, bytes:ArrayBuffer}} → {@code {type:'embedding-loaded', image}}</li>
 * <li>{@code {type:'decode', id:int, points:Float32Array (n,2) original px, labels:Int32Array (n),
 *     box:Float32Array(4)|null, maskInput:Float32Array(256*256)|null}} →
 *     {@code {type:'decoded', id, logits:Float32Array(4*256*256), iou:Float32Array(4),
 *     stability:Float32Array(4), selected:int, millis:number, multiplyAdds:number,
 *     imageSideMillis:{start, project, weightedSum, addWeighted, layerNorm, upscale: ms}}}</li>
 * <li>one decode shared by S workers, each computing a row stripe of the 64×64 token grid. Once, after
 *     worker-ready: {@code {type:'stripe-peers', stripe:i, stripes:S, peers:[MessagePort…]}} (transferred;
 *     one port per other worker, in stripe order). Per decode: {@code {type:'stripe-begin', id, rowStart,
 *     rowEnd, points, labels, box, maskInput}}; the workers then exchange {@code {type:'stripe-partials',
 *     id, step, stripe, partials:Float32Array}} over their ports at each of the decoder's merges (the page
 *     is not involved), and each answers the page {@code {type:'stripe-decoded', id, rowStart, rowEnd,
 *     logits:Float32Array(4, 4·(rowEnd−rowStart)·256) (its own logit rows of each mask), iou:Float32Array(4),
 *     selected:int, millis, multiplyAdds and imageSideMillis (this stripe's)}}</li>
 * </ul>
 * Any failure answers {@code {type:'error', id, message}} (id -1 when not about a decode).
 * On start the worker says {@code {type:'worker-ready', runtime}}. Messages are handled in the
 * order they arrive, so a page may post the weights and then an embedding without waiting.
 *
 * <p>Answers are posted (structured-cloned), never transferred: in the JavaScript build
 * {@code Float32Array.copyFromJavaArray} returns the Java array's own storage, which a transfer
 * would detach under the decoder. A clone of at most 1 MiB costs well under a millisecond.
 */
public final class WorkerMain {
    private static final int LOW_RES = DecoderBackend.LOW_RES;

    private final MaskDecoderBackend backend;
    private final float[] logits = new float[DecoderBackend.MASKS * LOW_RES * LOW_RES];
    private final float[] iou = new float[DecoderBackend.MASKS];
    private final float[] stability = new float[DecoderBackend.MASKS];

    // the striped decode this worker takes part in
    private int stripe;                 // this worker's index among the stripes
    private JSObject[] peers = new JSObject[0]; // (stripes) MessagePort to each other worker, null for itself
    private int stripeId = -1;          // request id of the striped decode in progress
    private int stripeStep;             // which merge the gathered partials are for
    private float[][] gathered = new float[0][]; // (stripes) partials of the pending merge
    private int gatheredCount;
    private final List<JSObject> early = new ArrayList<>(); // peers' partials for a later merge or request
    private int stripeRowStart;
    private int stripeRowEnd;
    private double stripeStarted;
    private float[] stripeRows = new float[0]; // (4, 4·rows·256) this stripe's logit rows

    private WorkerMain(boolean simdKernels) {
        backend = new MaskDecoderBackend(simdKernels, Browser::now);
    }

    /** @param runtime "wasm-simd" (WebAssembly GC with the SIMD kernels loaded), "wasm" or "js" */
    public static void start(String runtime) {
        WorkerMain worker = new WorkerMain("wasm-simd".equals(runtime));
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
                beginStripe(data, id);
            } else if ("stripe-partials".equals(type)) {
                onPeerPartials(data);
            } else if ("stripe-peers".equals(type)) {
                connectPeers(data);
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
        JSObject answer = Browser.message("decoded");
        Browser.putNumber(answer, "id", id);
        Browser.put(answer, "logits", Float32Array.copyFromJavaArray(logits));
        Browser.put(answer, "iou", Float32Array.copyFromJavaArray(iou));
        Browser.put(answer, "stability", Float32Array.copyFromJavaArray(stability));
        Browser.putNumber(answer, "selected", selected);
        Browser.putNumber(answer, "millis", Browser.now() - started);
        Browser.putNumber(answer, "multiplyAdds", backend.stripeResult().multiplyAdds());
        Browser.put(answer, "imageSideMillis", imageSideMillis());
        Browser.postToPage(answer); // cloned: see the class comment
    }

    private void connectPeers(JSObject data) {
        stripe = (int) Browser.number(data, "stripe");
        int stripes = (int) Browser.number(data, "stripes");
        peers = new JSObject[stripes];
        gathered = new float[stripes][];
        for (int k = 0, p = 0; k < stripes; k++) {
            if (k == stripe) {
                continue;
            }
            peers[k] = Browser.object(Browser.object(data, "peers"), String.valueOf(p++));
            MessagePorts.listen(peers[k], this::handle);
        }
    }

    private void beginStripe(JSObject data, int id) {
        if (peers.length == 0) {
            throw new IllegalStateException("stripe-begin before stripe-peers");
        }
        stripeStarted = Browser.now();
        float[] points = Browser.floats(data, "points").copyToJavaArray();
        int[] labels = Browser.ints(data, "labels").copyToJavaArray();
        float[] box = Browser.has(data, "box") ? Browser.floats(data, "box").copyToJavaArray() : null;
        float[] maskInput = Browser.has(data, "maskInput") ? Browser.floats(data, "maskInput").copyToJavaArray() : null;
        stripeRowStart = (int) Browser.number(data, "rowStart");
        stripeRowEnd = (int) Browser.number(data, "rowEnd");
        stripeId = id;
        stripeStep = 0;
        java.util.Arrays.fill(gathered, null);
        gatheredCount = 0;
        float[] partials;
        try {
            partials = backend.beginStripe(points, labels, box, maskInput, stripeRowStart, stripeRowEnd);
        } catch (RuntimeException e) {
            abandonStripe();
            throw e;
        }
        publish(partials);
    }

    /** This worker's partials for the pending merge: to every peer, and into the gathered set. */
    private void publish(float[] partials) {
        JSObject message = Browser.message("stripe-partials");
        Browser.putNumber(message, "id", stripeId);
        Browser.putNumber(message, "step", stripeStep);
        Browser.putNumber(message, "stripe", stripe);
        Browser.put(message, "partials", Float32Array.copyFromJavaArray(partials));
        for (JSObject peer : peers) {
            if (peer != null) {
                MessagePorts.post(peer, message); // cloned per post; the Java array stays ours
            }
        }
        gathered[stripe] = partials;
        gatheredCount++;
        for (int i = 0; i < early.size(); i++) {
            JSObject waiting = early.get(i);
            if ((int) Browser.number(waiting, "id") == stripeId && (int) Browser.number(waiting, "step") == stripeStep) {
                early.remove(i--);
                gather(waiting);
            }
        }
        mergeWhenComplete();
    }

    private void onPeerPartials(JSObject data) {
        int id = (int) Browser.number(data, "id");
        int step = (int) Browser.number(data, "step");
        if (id == stripeId && step == stripeStep) {
            gather(data);
            mergeWhenComplete();
        } else if (id > stripeId || (id == stripeId && step > stripeStep)) {
            early.add(data); // a peer got here first (its stripe-begin, or the merge before, was quicker)
        }
        // else: a request that has moved on (e.g. failed on another worker): dropped
        if (!early.isEmpty()) {
            dropStale();
        }
    }

    private void gather(JSObject data) {
        int from = (int) Browser.number(data, "stripe");
        if (gathered[from] == null) {
            gathered[from] = Browser.floats(data, "partials").copyToJavaArray();
            gatheredCount++;
        }
    }

    private void dropStale() {
        for (int i = 0; i < early.size(); i++) {
            if ((int) Browser.number(early.get(i), "id") < stripeId) {
                early.remove(i--);
            }
        }
    }

    /** Once every stripe's partials are in: merge (in stripe order) and run on to the next merge or the end. */
    private void mergeWhenComplete() {
        if (gatheredCount < gathered.length) {
            return;
        }
        float[][] all = gathered.clone();
        java.util.Arrays.fill(gathered, null);
        gatheredCount = 0;
        stripeStep++;
        float[] next;
        try {
            next = backend.continueStripe(all);
        } catch (RuntimeException e) {
            abandonStripe();
            throw e; // handle() reports it with this request's id (the message being handled carries it)
        }
        if (next != null) {
            publish(next);
            return;
        }
        answerRows();
    }

    /** After a failure: the request's later partials match no merge and are dropped. */
    private void abandonStripe() {
        stripeStep = Integer.MAX_VALUE;
        java.util.Arrays.fill(gathered, null);
        gatheredCount = 0;
    }

    /** This stripe's logit rows of each mask, its IoUs and its pick, to the page. */
    private void answerRows() {
        DecoderResult result = backend.stripeResult();
        int plane = LOW_RES * LOW_RES;
        int first = 4 * stripeRowStart * LOW_RES;
        int length = 4 * (stripeRowEnd - stripeRowStart) * LOW_RES;
        if (stripeRows.length != DecoderBackend.MASKS * length) {
            stripeRows = new float[DecoderBackend.MASKS * length];
        }
        for (int m = 0; m < DecoderBackend.MASKS; m++) {
            System.arraycopy(result.lowResLogits, m * plane + first, stripeRows, m * length, length);
        }
        JSObject answer = Browser.message("stripe-decoded");
        Browser.putNumber(answer, "id", stripeId);
        Browser.putNumber(answer, "rowStart", stripeRowStart);
        Browser.putNumber(answer, "rowEnd", stripeRowEnd);
        Browser.put(answer, "logits", Float32Array.copyFromJavaArray(stripeRows));
        Browser.put(answer, "iou", Float32Array.copyFromJavaArray(result.iou));
        Browser.putNumber(answer, "selected", result.selected());
        Browser.putNumber(answer, "millis", Browser.now() - stripeStarted);
        Browser.putNumber(answer, "multiplyAdds", result.multiplyAdds());
        Browser.put(answer, "imageSideMillis", imageSideMillis());
        Browser.postToPage(answer); // cloned: see the class comment
    }

    /** {operation: ms} spent in the decoder's image side by the last decode (the rest is token-side Java and copies). */
    private JSObject imageSideMillis() {
        JSObject millis = Browser.message("image-side");
        String[] names = MaskDecoderBackend.imageSideOperations();
        double[] values = backend.imageSideMillis();
        for (int i = 0; i < names.length; i++) {
            Browser.putNumber(millis, names[i], values[i]);
        }
        return millis;
    }

    private static byte[] bytes(JSObject data) {
        return Browser.bytesOf(Browser.object(data, "bytes")).copyToJavaArray();
    }
}

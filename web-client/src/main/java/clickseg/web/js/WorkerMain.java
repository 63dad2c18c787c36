package clickseg.web.js;

import clickseg.decoder.DecoderResult;
import clickseg.web.worker.MaskDecoderBackend;
import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;

/**
 * The decoder worker: runs in a Web Worker, turns the page's messages ({@link WorkerProtocol}) into
 * {@link MaskDecoderBackend} calls and answers with the low-resolution masks: a whole decode, or one
 * row stripe of a decode shared with the other workers, which exchange their softmax partials over
 * MessagePorts of their own at each of the decoder's merges. Messages are handled in the order they
 * arrive, so a page may post the weights and then an embedding without waiting; any failure answers
 * an error naming the request.
 */
public final class WorkerMain {
    private static final int LOW_RES = DecoderResult.SIZE;

    private final MaskDecoderBackend backend;
    private final float[] logits = new float[DecoderResult.MASKS * LOW_RES * LOW_RES];
    private final float[] iou = new float[DecoderResult.MASKS];
    private final float[] stability = new float[DecoderResult.MASKS];

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
    /**
     * Whether an answer's logits may be transferred instead of cloned: in the WebAssembly GC build
     * Float32Array.copyFromJavaArray makes a fresh array; in the JavaScript build it returns the Java
     * array's own storage, which a transfer would detach under the decoder.
     */
    private final boolean transferResults;

    private WorkerMain(boolean simdKernels, boolean transferResults) {
        backend = new MaskDecoderBackend(simdKernels, Browser::now);
        this.transferResults = transferResults;
    }

    /** @param runtime "wasm-simd" (WebAssembly GC with the SIMD kernels loaded), "wasm" or "js" */
    public static void start(String runtime) {
        WorkerMain worker = new WorkerMain("wasm-simd".equals(runtime), !"js".equals(runtime));
        Browser.onMessageToWorker(worker::handle);
        Browser.postToPage(WorkerProtocol.workerReady(runtime));
    }

    private void handle(JSObject data) {
        String type = WorkerProtocol.type(data);
        int id = WorkerProtocol.id(data);
        try {
            if (WorkerProtocol.DECODE.equals(type)) {
                decode(data, id);
            } else if (WorkerProtocol.STRIPE_BEGIN.equals(type)) {
                beginStripe(data, id);
            } else if (WorkerProtocol.STRIPE_PARTIALS.equals(type)) {
                onPeerPartials(data);
            } else if (WorkerProtocol.STRIPE_PEERS.equals(type)) {
                connectPeers(data);
            } else if (WorkerProtocol.EMBEDDING.equals(type)) {
                backend.loadEmbedding(bytes(data));
                Browser.postToPage(WorkerProtocol.embeddingLoaded(WorkerProtocol.image(data)));
            } else if (WorkerProtocol.WEIGHTS.equals(type)) {
                backend.loadWeights(bytes(data));
                Browser.postToPage(WorkerProtocol.weightsLoaded());
            } else {
                throw new IllegalArgumentException("unknown message type " + type);
            }
        } catch (RuntimeException e) {
            Browser.postToPage(WorkerProtocol.error(id, e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void decode(JSObject data, int id) {
        double started = Browser.now();
        int selected = backend.decode(WorkerProtocol.points(data), WorkerProtocol.labels(data), WorkerProtocol.box(data),
                WorkerProtocol.maskInput(data), logits, iou, stability);
        JSObject answer = WorkerProtocol.decoded(stability);
        Float32Array array = WorkerProtocol.putResult(answer, id, logits, iou, selected, Browser.now() - started,
                backend.stripeResult().multiplyAdds(), imageSideMillis());
        postResult(answer, array);
    }

    /** An answer to the page, its logits transferred where that is safe (see transferResults). */
    private void postResult(JSObject answer, Float32Array logitsArray) {
        if (transferResults) {
            Browser.postToPageTransferring(answer, Browser.bufferOf(logitsArray));
        } else {
            Browser.postToPage(answer);
        }
    }

    private void connectPeers(JSObject data) {
        stripe = WorkerProtocol.stripe(data);
        int stripes = WorkerProtocol.stripes(data);
        peers = new JSObject[stripes];
        gathered = new float[stripes][];
        for (int k = 0, p = 0; k < stripes; k++) {
            if (k == stripe) {
                continue;
            }
            peers[k] = WorkerProtocol.peer(data, p++);
            MessagePorts.listen(peers[k], this::handle);
        }
    }

    private void beginStripe(JSObject data, int id) {
        if (peers.length == 0) {
            throw new IllegalStateException("stripe-begin before stripe-peers");
        }
        stripeStarted = Browser.now();
        stripeRowStart = WorkerProtocol.rowStart(data);
        stripeRowEnd = WorkerProtocol.rowEnd(data);
        stripeId = id;
        stripeStep = 0;
        java.util.Arrays.fill(gathered, null);
        gatheredCount = 0;
        float[] partials;
        try {
            partials = backend.beginStripe(WorkerProtocol.points(data), WorkerProtocol.labels(data),
                    WorkerProtocol.box(data), WorkerProtocol.maskInput(data), stripeRowStart, stripeRowEnd);
        } catch (RuntimeException e) {
            abandonStripe();
            throw e;
        }
        publish(partials);
    }

    /** This worker's partials for the pending merge: to every peer, and into the gathered set. */
    private void publish(float[] partials) {
        JSObject message = WorkerProtocol.stripePartials(stripeId, stripeStep, stripe, partials);
        for (JSObject peer : peers) {
            if (peer != null) {
                MessagePorts.post(peer, message); // cloned per post; the Java array stays ours
            }
        }
        gathered[stripe] = partials;
        gatheredCount++;
        for (int i = 0; i < early.size(); i++) {
            JSObject waiting = early.get(i);
            if (WorkerProtocol.id(waiting) == stripeId && WorkerProtocol.step(waiting) == stripeStep) {
                early.remove(i--);
                gather(waiting);
            }
        }
        mergeWhenComplete();
    }

    private void onPeerPartials(JSObject data) {
        int id = WorkerProtocol.id(data);
        int step = WorkerProtocol.step(data);
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
        int from = WorkerProtocol.stripe(data);
        if (gathered[from] == null) {
            gathered[from] = WorkerProtocol.partials(data);
            gatheredCount++;
        }
    }

    private void dropStale() {
        for (int i = 0; i < early.size(); i++) {
            if (WorkerProtocol.id(early.get(i)) < stripeId) {
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
        if (stripeRows.length != DecoderResult.MASKS * length) {
            stripeRows = new float[DecoderResult.MASKS * length];
        }
        for (int m = 0; m < DecoderResult.MASKS; m++) {
            System.arraycopy(result.lowResLogits, m * plane + first, stripeRows, m * length, length);
        }
        JSObject answer = WorkerProtocol.stripeDecoded(stripeRowStart, stripeRowEnd);
        Float32Array array = WorkerProtocol.putResult(answer, stripeId, stripeRows, result.iou, result.selected(),
                Browser.now() - stripeStarted, result.multiplyAdds(), imageSideMillis());
        postResult(answer, array);
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
        return Browser.bytesOf(WorkerProtocol.bytes(data)).copyToJavaArray();
    }
}

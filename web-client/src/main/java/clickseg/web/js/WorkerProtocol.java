package clickseg.web.js;

import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;

/**
 * The page ↔ decoder-worker protocol in one place: every message's type and fields, and the
 * functions that write and read them, for both sides ({@link DecoderWorkerPool} on the page,
 * {@link WorkerMain} in each worker, and the benchmark's harness, which speaks the same strings).
 * Every message is a plain object {@code {type, …}}; arrays travel as typed arrays.
 *
 * <pre>
 * page → worker   weights           {bytes: ArrayBuffer}                                 → weights-loaded
 *                 embedding         {image, bytes: ArrayBuffer}                          → embedding-loaded {image}
 *                 decode            {id, PROMPT}                                         → decoded {id, RESULT, stability}
 *                 stripe-peers      {stripe, stripes, peers: [MessagePort, …]}           (once, transferred)
 *                 stripe-begin      {id, rowStart, rowEnd, PROMPT}                       → stripe-decoded {id, rowStart, rowEnd, RESULT}
 * worker → worker stripe-partials   {id, step, stripe, partials: Float32Array}
 * worker → page   worker-ready      {runtime}  ·  error {id (−1: not about a decode), message}
 *
 * PROMPT = points: Float32Array (n, 2) in original pixels, labels: Int32Array (n), box?: Float32Array (4),
 *          maskInput?: Float32Array (256·256) previous low-res logits
 * RESULT = logits: Float32Array (4 masks × the rows answered), iou: Float32Array (4), selected, millis,
 *          multiplyAdds, imageSideMillis: {operation: ms}
 * </pre>
 */
final class WorkerProtocol {
    static final String WEIGHTS = "weights";
    static final String WEIGHTS_LOADED = "weights-loaded";
    static final String EMBEDDING = "embedding";
    static final String EMBEDDING_LOADED = "embedding-loaded";
    static final String DECODE = "decode";
    static final String DECODED = "decoded";
    static final String STRIPE_PEERS = "stripe-peers";
    static final String STRIPE_BEGIN = "stripe-begin";
    static final String STRIPE_PARTIALS = "stripe-partials";
    static final String STRIPE_DECODED = "stripe-decoded";
    static final String WORKER_READY = "worker-ready";
    static final String ERROR = "error";

    private WorkerProtocol() {
    }

    /** A prompt once as typed arrays, to put into the message of every worker that decodes it. */
    static final class PromptArrays {
        final Float32Array points;
        final Int32Array labels;
        final Float32Array box;       // or null
        final Float32Array maskInput; // or null

        PromptArrays(float[] points, int[] labels, float[] box, float[] maskInput) {
            this.points = Float32Array.copyFromJavaArray(points);
            this.labels = Int32Array.copyFromJavaArray(labels);
            this.box = box == null ? null : Float32Array.copyFromJavaArray(box);
            this.maskInput = maskInput == null ? null : Float32Array.copyFromJavaArray(maskInput);
        }

        void putInto(JSObject message) {
            Browser.put(message, "points", points);
            Browser.put(message, "labels", labels);
            if (box != null) {
                Browser.put(message, "box", box);
            }
            if (maskInput != null) {
                Browser.put(message, "maskInput", maskInput);
            }
        }
    }

    static JSObject weights(JSObject bytes) {
        JSObject message = Browser.message(WEIGHTS);
        Browser.put(message, "bytes", bytes);
        return message;
    }

    static JSObject embedding(int image, JSObject bytes) {
        JSObject message = Browser.message(EMBEDDING);
        Browser.putNumber(message, "image", image);
        Browser.put(message, "bytes", bytes);
        return message;
    }

    static JSObject stripePeers(int stripe, int stripes, JSObject ports) {
        JSObject message = Browser.message(STRIPE_PEERS);
        Browser.putNumber(message, "stripe", stripe);
        Browser.putNumber(message, "stripes", stripes);
        Browser.put(message, "peers", ports);
        return message;
    }

    static JSObject decode(int id, PromptArrays prompt) {
        JSObject message = Browser.message(DECODE);
        Browser.putNumber(message, "id", id);
        prompt.putInto(message);
        return message;
    }

    static JSObject stripeBegin(int id, int rowStart, int rowEnd, PromptArrays prompt) {
        JSObject message = Browser.message(STRIPE_BEGIN);
        Browser.putNumber(message, "id", id);
        Browser.putNumber(message, "rowStart", rowStart);
        Browser.putNumber(message, "rowEnd", rowEnd);
        prompt.putInto(message);
        return message;
    }

    // ---- the worker's answers ---------------------------------------------------------------

    static JSObject workerReady(String runtime) {
        JSObject message = Browser.message(WORKER_READY);
        Browser.putString(message, "runtime", runtime);
        return message;
    }

    static JSObject weightsLoaded() {
        return Browser.message(WEIGHTS_LOADED);
    }

    static JSObject embeddingLoaded(int image) {
        JSObject message = Browser.message(EMBEDDING_LOADED);
        Browser.putNumber(message, "image", image);
        return message;
    }

    static JSObject error(int id, String text) {
        JSObject message = Browser.message(ERROR);
        Browser.putNumber(message, "id", id);
        Browser.putString(message, "message", text);
        return message;
    }

    static JSObject stripePartials(int id, int step, int stripe, float[] partials) {
        JSObject message = Browser.message(STRIPE_PARTIALS);
        Browser.putNumber(message, "id", id);
        Browser.putNumber(message, "step", step);
        Browser.putNumber(message, "stripe", stripe);
        Browser.put(message, "partials", Float32Array.copyFromJavaArray(partials));
        return message;
    }

    /**
     * A decode's RESULT fields; logits is put last and returned, so the caller can transfer its buffer
     * where the typed array is a copy of its own (see WorkerMain).
     */
    static Float32Array putResult(JSObject message, int id, float[] logits, float[] iou, int selected, double millis,
                                  long multiplyAdds, JSObject imageSideMillis) {
        Browser.putNumber(message, "id", id);
        Browser.put(message, "iou", Float32Array.copyFromJavaArray(iou));
        Browser.putNumber(message, "selected", selected);
        Browser.putNumber(message, "millis", millis);
        Browser.putNumber(message, "multiplyAdds", multiplyAdds);
        Browser.put(message, "imageSideMillis", imageSideMillis);
        Float32Array array = Float32Array.copyFromJavaArray(logits);
        Browser.put(message, "logits", array);
        return array;
    }

    static JSObject decoded(float[] stability) {
        JSObject message = Browser.message(DECODED);
        Browser.put(message, "stability", Float32Array.copyFromJavaArray(stability));
        return message;
    }

    static JSObject stripeDecoded(int rowStart, int rowEnd) {
        JSObject message = Browser.message(STRIPE_DECODED);
        Browser.putNumber(message, "rowStart", rowStart);
        Browser.putNumber(message, "rowEnd", rowEnd);
        return message;
    }

    // ---- reading, on either side ------------------------------------------------------------

    static String type(JSObject message) {
        return Browser.string(message, "type");
    }

    /** The request a message is about, −1 when none. */
    static int id(JSObject message) {
        return Browser.has(message, "id") ? (int) Browser.number(message, "id") : -1;
    }

    static float[] points(JSObject message) {
        return Browser.floats(message, "points").copyToJavaArray();
    }

    static int[] labels(JSObject message) {
        return Browser.ints(message, "labels").copyToJavaArray();
    }

    /** (4) or null. */
    static float[] box(JSObject message) {
        return Browser.has(message, "box") ? Browser.floats(message, "box").copyToJavaArray() : null;
    }

    /** (256·256) or null. */
    static float[] maskInput(JSObject message) {
        return Browser.has(message, "maskInput") ? Browser.floats(message, "maskInput").copyToJavaArray() : null;
    }

    static int rowStart(JSObject message) {
        return (int) Browser.number(message, "rowStart");
    }

    static int rowEnd(JSObject message) {
        return (int) Browser.number(message, "rowEnd");
    }

    static float[] logits(JSObject message) {
        return Browser.floats(message, "logits").copyToJavaArray();
    }

    static float[] iou(JSObject message) {
        return Browser.floats(message, "iou").copyToJavaArray();
    }

    static float[] stability(JSObject message) {
        return Browser.floats(message, "stability").copyToJavaArray();
    }

    static int selected(JSObject message) {
        return (int) Browser.number(message, "selected");
    }

    static double millis(JSObject message) {
        return Browser.number(message, "millis");
    }

    static String errorMessage(JSObject message) {
        return Browser.string(message, "message");
    }

    static String runtime(JSObject message) {
        return Browser.string(message, "runtime");
    }

    static int image(JSObject message) {
        return (int) Browser.number(message, "image");
    }

    /** The ArrayBuffer of a weights or embedding message. */
    static JSObject bytes(JSObject message) {
        return Browser.object(message, "bytes");
    }

    static int stripe(JSObject message) {
        return (int) Browser.number(message, "stripe");
    }

    static int stripes(JSObject message) {
        return (int) Browser.number(message, "stripes");
    }

    /** The k-th of a stripe-peers message's ports. */
    static JSObject peer(JSObject message, int k) {
        return Browser.object(Browser.object(message, "peers"), String.valueOf(k));
    }

    static int step(JSObject message) {
        return (int) Browser.number(message, "step");
    }

    static float[] partials(JSObject message) {
        return Browser.floats(message, "partials").copyToJavaArray();
    }
}

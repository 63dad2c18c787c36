package clickseg.web.js;

import clickseg.web.session.DecodedMasks;
import clickseg.web.session.PromptState;
import java.util.ArrayDeque;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;

/**
 * The page's side of the decoder workers. Every worker holds the decoder weights (sent once,
 * as soon as both the worker and the weights are there) and the current image's embedding,
 * so any idle worker can take any request. Clicks ("commits") go first and in order; hover
 * probes are latest-wins: at most one waits, and a newer one replaces it, so the mask follows
 * the pointer without a queue building up while a second worker keeps hovering responsive
 * during a click's decode.
 */
final class DecoderWorkerPool {
    interface Listener {
        void workersReady(String runtime, int count);

        void weightsLoaded();

        void imageLoaded(int image);

        void decoded(int requestId, DecodedMasks masks, double millis);

        void decodeFailed(int requestId, String message);
    }

    private static final class Job {
        final int id;
        final PromptState prompt;
        final float[] maskInput; // (256, 256) or null

        Job(int id, PromptState prompt, float[] maskInput) {
            this.id = id;
            this.prompt = prompt;
            this.maskInput = maskInput;
        }
    }

    private final Listener listener;
    private final JSObject[] workers;
    private final boolean[] started;
    private final boolean[] busy;
    private final boolean[] weightsSent;
    private final boolean[] weightsLoaded;
    private final int[] imageLoadedAt; // image generation each worker holds
    private final ArrayDeque<Job> commits = new ArrayDeque<>();
    private Job pendingHover;
    private int image = -1;
    private JSObject imageEmbedding; // ArrayBuffer, kept to load workers that start late
    private JSObject weights; // ArrayBuffer of the weights file, kept for workers that start late
    private int nextId = 1;
    private String runtime = "";

    DecoderWorkerPool(String runtime, int count, Listener listener) {
        this.listener = listener;
        workers = new JSObject[count];
        started = new boolean[count];
        busy = new boolean[count];
        weightsSent = new boolean[count];
        weightsLoaded = new boolean[count];
        imageLoadedAt = new int[count];
        for (int i = 0; i < count; i++) {
            final int index = i;
            imageLoadedAt[i] = -1;
            workers[i] = Browser.createWorker("app/worker.js?runtime=" + runtime);
            Browser.listen(workers[i], "message", event -> onMessage(index, Browser.object(event, "data")));
            Browser.listen(workers[i], "error", event -> {
                Browser.preventDefault(event);
                listener.decodeFailed(-1, "A decoder worker stopped: " + Browser.string(event, "message"));
            });
        }
    }

    int size() {
        return workers.length;
    }

    /** The decoder weights file for every worker; each gets its own copy (a transfer would detach it). */
    void loadWeights(JSObject weightsFile) {
        weights = weightsFile;
        for (int i = 0; i < workers.length; i++) {
            if (started[i]) {
                sendWeights(i);
            }
        }
    }

    /** Sends one image to every worker that has its weights; the others get it with theirs. */
    void loadImage(int imageGeneration, JSObject embedding) {
        image = imageGeneration;
        imageEmbedding = embedding;
        commits.clear();
        pendingHover = null;
        for (int i = 0; i < workers.length; i++) {
            if (weightsSent[i]) {
                sendImage(i);
            }
        }
    }

    /**
     * A worker that has not said worker-ready yet would drop messages; it gets the weights then.
     * A worker handles messages in order, so the image may follow right behind the weights.
     */
    private void sendWeights(int worker) {
        if (weightsSent[worker] || weights == null) {
            return;
        }
        weightsSent[worker] = true;
        JSObject message = Browser.message("weights");
        JSObject copy = Browser.copyBuffer(weights);
        Browser.put(message, "bytes", copy);
        Browser.postTransferring(workers[worker], message, copy);
        if (image >= 0) {
            sendImage(worker);
        }
    }

    private void sendImage(int worker) {
        JSObject message = Browser.message("embedding");
        Browser.putNumber(message, "image", image);
        JSObject copy = Browser.copyBuffer(imageEmbedding);
        Browser.put(message, "bytes", copy);
        Browser.postTransferring(workers[worker], message, copy);
    }

    /** Queues a click's decode; returns its request id. */
    int commit(PromptState prompt, float[] maskInput) {
        Job job = new Job(nextId++, prompt, maskInput);
        commits.addLast(job);
        dispatch();
        return job.id;
    }

    /** Replaces any waiting hover probe; returns its request id. */
    int hover(PromptState prompt) {
        Job job = new Job(nextId++, prompt, null);
        pendingHover = job;
        dispatch();
        return job.id;
    }

    void cancelHover() {
        pendingHover = null;
    }

    private void dispatch() {
        for (int i = 0; i < workers.length; i++) {
            if (!started[i] || busy[i] || imageLoadedAt[i] != image || image < 0) {
                continue;
            }
            Job job = commits.pollFirst();
            if (job == null) {
                job = pendingHover;
                pendingHover = null;
            }
            if (job == null) {
                return;
            }
            send(i, job);
        }
    }

    private void send(int worker, Job job) {
        busy[worker] = true;
        JSObject message = Browser.message("decode");
        Browser.putNumber(message, "id", job.id);
        Browser.put(message, "points", Float32Array.copyFromJavaArray(job.prompt.points()));
        Browser.put(message, "labels", Int32Array.copyFromJavaArray(job.prompt.labels()));
        float[] box = job.prompt.box();
        if (box != null) {
            Browser.put(message, "box", Float32Array.copyFromJavaArray(box));
        }
        if (job.maskInput != null) {
            Browser.put(message, "maskInput", Float32Array.copyFromJavaArray(job.maskInput));
        }
        Browser.post(workers[worker], message);
    }

    private void onMessage(int worker, JSObject data) {
        String type = Browser.string(data, "type");
        if ("worker-ready".equals(type)) {
            started[worker] = true;
            runtime = Browser.string(data, "runtime");
            sendWeights(worker);
            int count = 0;
            for (boolean s : started) {
                count += s ? 1 : 0;
            }
            if (count == workers.length) {
                listener.workersReady(runtime, count);
            }
        } else if ("weights-loaded".equals(type)) {
            weightsLoaded[worker] = true;
            boolean all = true;
            for (boolean loaded : weightsLoaded) {
                all &= loaded;
            }
            if (all) {
                listener.weightsLoaded();
            }
        } else if ("embedding-loaded".equals(type)) {
            int loaded = (int) Browser.number(data, "image");
            imageLoadedAt[worker] = loaded;
            boolean all = true;
            for (int at : imageLoadedAt) {
                all &= at == loaded;
            }
            if (all && loaded == image) {
                listener.imageLoaded(loaded);
            }
            dispatch();
        } else if ("decoded".equals(type)) {
            busy[worker] = false;
            float[] logits = Browser.floats(data, "logits").copyToJavaArray();
            float[] iou = Browser.floats(data, "iou").copyToJavaArray();
            float[] stability = Browser.floats(data, "stability").copyToJavaArray();
            DecodedMasks masks = new DecodedMasks(logits, iou, stability, (int) Browser.number(data, "selected"));
            listener.decoded((int) Browser.number(data, "id"), masks, Browser.number(data, "millis"));
            dispatch();
        } else if ("error".equals(type)) {
            int id = (int) Browser.number(data, "id");
            if (id >= 0) {
                busy[worker] = false;
            }
            listener.decodeFailed(id, Browser.string(data, "message"));
            dispatch();
        }
    }
}

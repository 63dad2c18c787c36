package clickseg.web.js;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.MaskDecoder;
import clickseg.web.session.DecodedMasks;
import clickseg.prompt.Prompt;
import java.util.ArrayDeque;
import org.teavm.jso.JSObject;

/**
 * The page's side of the decoder workers. Every worker holds the decoder weights (sent once,
 * as soon as both the worker and the weights are there) and the current image's embedding,
 * so any idle worker can take any request. Clicks ("commits") go first and in order; hover
 * probes are latest-wins: at most one waits, and a newer one replaces it, so the mask follows
 * the pointer without a queue building up while a second worker keeps hovering responsive
 * during a click's decode.
 *
 * <p>When every worker is idle, one request is split across all of them instead: each computes a
 * row stripe of the 64×64 image-token grid ({@link MaskDecoder#beginStripe}); the workers exchange
 * the small softmax-partials arrays at each of the decoder's three merges over MessageChannels of
 * their own (set up once, see {@link WorkerMain}), and the page stitches the stripes' logit rows
 * together. Same masks, about half the time with two workers.
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
        final Prompt prompt;
        final float[] maskInput; // (256, 256) or null

        Job(int id, Prompt prompt, float[] maskInput) {
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

    // the request all workers share, or null (see the class comment)
    private Job stripeJob;
    private final JSObject[] peerPorts;      // per worker: a JS array of its ports to the others, until sent
    private int stripeAnswers;               // workers that answered with their rows
    private DecoderResult stripeResult;      // the stitched masks
    private int stripeSelected;
    private double stripeStarted;
    private int failedStripeId = -1;

    DecoderWorkerPool(String runtime, int count, Listener listener) {
        this.listener = listener;
        workers = new JSObject[count];
        started = new boolean[count];
        busy = new boolean[count];
        weightsSent = new boolean[count];
        weightsLoaded = new boolean[count];
        imageLoadedAt = new int[count];
        peerPorts = new JSObject[count];
        for (int i = 0; i < count; i++) {
            peerPorts[i] = MessagePorts.list();
        }
        for (int i = 0; i < count; i++) { // one channel per pair of workers; each worker's ports in stripe order
            for (int k = i + 1; k < count; k++) {
                JSObject channel = MessagePorts.channel();
                MessagePorts.add(peerPorts[i], MessagePorts.port(channel, 1));
                MessagePorts.add(peerPorts[k], MessagePorts.port(channel, 2));
            }
        }
        for (int i = 0; i < count; i++) {
            final int index = i;
            imageLoadedAt[i] = -1;
            workers[i] = Browser.createWorker("/app/worker.js?runtime=" + runtime);
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
        endStripes();
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
        JSObject copy = Browser.copyBuffer(weights);
        Browser.postTransferring(workers[worker], WorkerProtocol.weights(copy), copy);
        if (image >= 0) {
            sendImage(worker);
        }
    }

    private void sendImage(int worker) {
        JSObject copy = Browser.copyBuffer(imageEmbedding);
        Browser.postTransferring(workers[worker], WorkerProtocol.embedding(image, copy), copy);
    }

    /** Queues a click's decode; returns its request id. */
    int commit(Prompt prompt, float[] maskInput) {
        Job job = new Job(nextId++, prompt, maskInput);
        commits.addLast(job);
        dispatch();
        return job.id;
    }

    /** Replaces any waiting hover probe; returns its request id. */
    int hover(Prompt prompt) {
        Job job = new Job(nextId++, prompt, null);
        pendingHover = job;
        dispatch();
        return job.id;
    }

    void cancelHover() {
        pendingHover = null;
    }

    private void dispatch() {
        if (stripeJob != null) {
            return; // every worker is busy with it
        }
        if (workers.length >= 2 && allIdleWithImage()) {
            Job job = commits.pollFirst();
            if (job == null) {
                job = pendingHover;
                pendingHover = null;
            }
            if (job != null) {
                sendStripes(job);
            }
            return;
        }
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
        Browser.post(workers[worker], WorkerProtocol.decode(job.id, arrays(job)));
    }

    private static WorkerProtocol.PromptArrays arrays(Job job) {
        return new WorkerProtocol.PromptArrays(job.prompt.points(), job.prompt.labels(), job.prompt.box(),
                job.maskInput);
    }

    private boolean allIdleWithImage() {
        if (image < 0) {
            return false;
        }
        for (int i = 0; i < workers.length; i++) {
            if (!started[i] || busy[i] || imageLoadedAt[i] != image) {
                return false;
            }
        }
        return true;
    }

    /** Starts one decode on all workers, worker i taking grid rows [64·i/W, 64·(i+1)/W). */
    private void sendStripes(Job job) {
        stripeJob = job;
        stripeAnswers = 0;
        stripeStarted = Browser.now();
        if (stripeResult == null) {
            stripeResult = new DecoderResult();
        }
        WorkerProtocol.PromptArrays prompt = arrays(job); // made once, posted (cloned) to each worker
        for (int i = 0; i < workers.length; i++) {
            busy[i] = true;
            Browser.post(workers[i], WorkerProtocol.stripeBegin(job.id, MaskDecoder.GRID * i / workers.length,
                    MaskDecoder.GRID * (i + 1) / workers.length, prompt));
        }
    }

    private boolean isStripeMessage(JSObject data) {
        return stripeJob != null && WorkerProtocol.id(data) == stripeJob.id;
    }

    /** A worker's ports to the other workers (sent once, when it is ready to receive messages). */
    private void sendPeers(int worker) {
        MessagePorts.postWithPorts(workers[worker], WorkerProtocol.stripePeers(worker, workers.length, peerPorts[worker]),
                peerPorts[worker]);
    }

    /** One worker's finished rows; once all are in, the stitched masks go to the listener. */
    private void onStripeDecoded(JSObject data) {
        if (!isStripeMessage(data)) {
            return;
        }
        int plane = DecoderResult.SIZE * DecoderResult.SIZE;
        int first = 4 * WorkerProtocol.rowStart(data) * DecoderResult.SIZE;
        int length = 4 * WorkerProtocol.rowEnd(data) * DecoderResult.SIZE - first;
        float[] rows = WorkerProtocol.logits(data); // (4, length): the stripe's rows only
        for (int m = 0; m < DecoderResult.MASKS; m++) {
            System.arraycopy(rows, m * length, stripeResult.lowResLogits, m * plane + first, length);
        }
        System.arraycopy(WorkerProtocol.iou(data), 0, stripeResult.iou, 0, DecoderResult.MASKS);
        stripeSelected = WorkerProtocol.selected(data);
        if (++stripeAnswers < workers.length) {
            return;
        }
        MaskDecoder.completeStripes(stripeResult);
        int id = stripeJob.id;
        DecodedMasks masks = new DecodedMasks(stripeResult.lowResLogits.clone(), stripeResult.iou.clone(),
                stripeResult.stability.clone(), stripeSelected);
        double millis = Browser.now() - stripeStarted;
        endStripes();
        listener.decoded(id, masks, millis);
        dispatch();
    }

    private void endStripes() {
        if (stripeJob == null) {
            return;
        }
        stripeJob = null;
        stripeAnswers = 0;
        java.util.Arrays.fill(busy, false);
    }

    private void onMessage(int worker, JSObject data) {
        String type = WorkerProtocol.type(data);
        if (WorkerProtocol.WORKER_READY.equals(type)) {
            started[worker] = true;
            runtime = WorkerProtocol.runtime(data);
            if (workers.length >= 2) {
                sendPeers(worker);
            }
            sendWeights(worker);
            int count = 0;
            for (boolean s : started) {
                count += s ? 1 : 0;
            }
            if (count == workers.length) {
                listener.workersReady(runtime, count);
            }
        } else if (WorkerProtocol.WEIGHTS_LOADED.equals(type)) {
            weightsLoaded[worker] = true;
            boolean all = true;
            for (boolean loaded : weightsLoaded) {
                all &= loaded;
            }
            if (all) {
                listener.weightsLoaded();
            }
        } else if (WorkerProtocol.EMBEDDING_LOADED.equals(type)) {
            int loaded = WorkerProtocol.image(data);
            imageLoadedAt[worker] = loaded;
            boolean all = true;
            for (int at : imageLoadedAt) {
                all &= at == loaded;
            }
            if (all && loaded == image) {
                listener.imageLoaded(loaded);
            }
            dispatch();
        } else if (WorkerProtocol.DECODED.equals(type)) {
            busy[worker] = false;
            DecodedMasks masks = new DecodedMasks(WorkerProtocol.logits(data), WorkerProtocol.iou(data),
                    WorkerProtocol.stability(data), WorkerProtocol.selected(data));
            listener.decoded(WorkerProtocol.id(data), masks, WorkerProtocol.millis(data));
            dispatch();
        } else if (WorkerProtocol.STRIPE_DECODED.equals(type)) {
            onStripeDecoded(data);
        } else if (WorkerProtocol.ERROR.equals(type)) {
            int id = WorkerProtocol.id(data);
            if (id >= 0 && id == failedStripeId) {
                return; // a second worker failing the same shared request: reported once
            }
            if (stripeJob != null && id == stripeJob.id) {
                failedStripeId = id;
                endStripes(); // the other workers' answers for this request are ignored
                listener.decodeFailed(id, WorkerProtocol.errorMessage(data));
                dispatch();
                return;
            }
            if (id >= 0) {
                busy[worker] = false;
            }
            listener.decodeFailed(id, WorkerProtocol.errorMessage(data));
            dispatch();
        }
    }
}

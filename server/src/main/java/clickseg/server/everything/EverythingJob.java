package clickseg.server.everything;

import clickseg.everything.CropBox;
import clickseg.everything.EverythingParameters;
import clickseg.everything.GeneratedMask;
import clickseg.everything.MaskSelection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One segment-everything computation of one (image, parameters) that clients follow by its id: its status, how
 * far it got, the masks it has kept so far and, once done, the result (also through {@link #result()} for
 * callers that wait). Everyone who asks for the same (image, parameters) while it runs shares it.
 *
 * <p>Progress. The coverage-guided grid plans level by level, so the number of points grows as the job runs:
 * {@code pointsPlanned} counts the levels planned so far. {@link Snapshot#fraction()} estimates the share done
 * and never goes backwards: each crop an equal share, each of its grid levels an equal share of the crop (a
 * finer level prompts at most twice as many points as the first), points within a level in proportion. A grid that
 * finds everything covered before its last level lets it jump ahead.
 *
 * <p>Masks so far. The candidates are collected point by point; a snapshot runs the final selection (NMS,
 * small-region clean-up) on the candidates that exist, at most every {@link #SELECT_EVERY_NANOS}. Raw candidates
 * would show each object several times over (every point on it, up to three masks each) and then change
 * wholesale at the end; the selection of what exists converges to the final answer instead.
 */
public final class EverythingJob implements GenerationProgress {
    /** Snapshots reuse the last selection this long while candidates keep coming (polls are not CPU). */
    static final long SELECT_EVERY_NANOS = 400_000_000L;

    public enum Status {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean finished() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    /** What a client sees at one moment. masks: kept so far (running) or the result's (done); position: 1 = next. */
    public record Snapshot(Status status, int position, int pointsDone, int pointsPlanned, int levelsPlanned,
                           double fraction, List<GeneratedMask> masks, int width, int height, EverythingResult result,
                           String reason, String message) {
    }

    private final String id;
    private final String key;
    private final String imageId;
    private final EverythingParameters parameters;
    private final BooleanSupplier imageStored;
    private final CompletableFuture<EverythingResult> result = new CompletableFuture<>();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final Object selectionLock = new Object();

    // guarded by this
    private Status status = Status.QUEUED;
    private EverythingResult outcome; // once done
    private String reason;
    private String message;
    private long finishedAtNanos;
    private List<CropBox> crops = List.of();
    private int width;
    private int height;
    private final List<List<GeneratedMask>> candidates = new ArrayList<>(); // per crop, in order
    private int candidateCount;
    private int pointsPlanned;
    private int levelsPlanned;
    private int pointsDone;
    private int levelCrop = -1;    // crop of the level being decoded
    private int levelInCrop;       // its index within the crop
    private int levelPoints;
    private int levelDone;
    private double fraction;

    // guarded by selectionLock
    private List<GeneratedMask> selected = List.of();
    private int selectedFrom = -1; // candidateCount the selection was made from
    private long selectedAt;

    /**
     * @param id          unguessable: whoever holds it may follow and cancel the job
     * @param imageStored whether the image is still in the store; checked before each point (eviction cancels)
     */
    EverythingJob(String id, String key, String imageId, EverythingParameters parameters, BooleanSupplier imageStored) {
        this.id = id;
        this.key = key;
        this.imageId = imageId;
        this.parameters = parameters;
        this.imageStored = imageStored;
    }

    public String id() {
        return id;
    }

    String key() {
        return key;
    }

    public String imageId() {
        return imageId;
    }

    public EverythingParameters parameters() {
        return parameters;
    }

    /** Completes with the result, or exceptionally (CancellationException when cancelled). */
    public CompletableFuture<EverythingResult> result() {
        return result;
    }

    long cpuNanos() {
        return cpuNanos.get();
    }

    synchronized Status status() {
        return status;
    }

    synchronized String reason() {
        return reason;
    }

    synchronized String message() {
        return message;
    }

    synchronized long finishedAtNanos() {
        return finishedAtNanos;
    }

    /** Queued → running; false when it was cancelled meanwhile. */
    synchronized boolean start() {
        if (status != Status.QUEUED) {
            return false;
        }
        status = Status.RUNNING;
        return true;
    }

    void done(EverythingResult r) {
        synchronized (this) {
            if (status.finished()) {
                return; // cancelled while the last points ran: stays cancelled
            }
            status = Status.DONE;
            outcome = r;
            fraction = 1;
            finishedAtNanos = System.nanoTime();
        }
        result.complete(r);
    }

    void failed(String code, String text, Throwable cause) {
        synchronized (this) {
            if (status.finished()) {
                return;
            }
            status = Status.FAILED;
            reason = code;
            message = text;
            finishedAtNanos = System.nanoTime();
        }
        result.completeExceptionally(cause);
    }

    /** Cancels it unless finished; true when this call cancelled it. A running generation stops at its next point. */
    boolean cancel(String code, String text) {
        synchronized (this) {
            if (status.finished()) {
                return false;
            }
            status = Status.CANCELLED;
            reason = code;
            message = text;
            finishedAtNanos = System.nanoTime();
        }
        result.completeExceptionally(new CancellationException(text));
        return true;
    }

    /** Cancels it when its image has left the store; true when it did. */
    boolean cancelIfImageGone() {
        if (imageStored.getAsBoolean()) {
            return false;
        }
        return cancel("image_evicted", "the image " + imageId + " was evicted from the server's store while its "
                + "job was " + status().wireName() + "; upload it again and ask again");
    }

    // ---- GenerationProgress: the running generation reports here ---------------------------------------------

    @Override
    public synchronized void started(List<CropBox> crops, int width, int height) {
        this.crops = List.copyOf(crops);
        this.width = width;
        this.height = height;
    }

    @Override
    public synchronized void levelPlanned(int crop, int points) {
        while (candidates.size() <= crop) {
            candidates.add(new ArrayList<>());
        }
        levelInCrop = crop == levelCrop ? levelInCrop + 1 : 0;
        levelCrop = crop;
        levelPoints = points;
        levelDone = 0;
        levelsPlanned++;
        pointsPlanned += points;
        advance();
    }

    @Override
    public synchronized void pointDecoded(int crop, List<GeneratedMask> found) {
        candidates.get(crop).addAll(found);
        candidateCount += found.size();
        pointsDone++;
        levelDone++;
        advance();
    }

    @Override
    public void spent(long nanos) {
        cpuNanos.addAndGet(nanos);
    }

    @Override
    public boolean cancelled() {
        return status().finished() || cancelIfImageGone();
    }

    /** The estimate described in the class comment; never lower than before. */
    private void advance() {
        int cropCount = Math.max(1, crops.size());
        int levels = Math.max(1, parameters.gridLevels());
        double level = levelPoints == 0 ? 1 : (double) levelDone / levelPoints;
        double inCrop = Math.min(1, (levelInCrop + level) / levels);
        // short of 1 until the result is there: selection and clean-up still follow the last point
        fraction = Math.max(fraction, Math.min(0.99, (levelCrop + inCrop) / cropCount));
    }

    // ---- what clients see -------------------------------------------------------------------------------------

    /** @param position the place in the queue (1 = next), 0 when not queued */
    Snapshot snapshot(int position) {
        Status s;
        int done;
        int planned;
        int levels;
        double share;
        EverythingResult r;
        synchronized (this) { // one consistent reading: "done" always comes with its result
            s = status;
            done = pointsDone;
            planned = pointsPlanned;
            levels = levelsPlanned;
            share = fraction;
            r = outcome;
        }
        List<GeneratedMask> masks = r != null ? r.masks() : s == Status.RUNNING ? masksSoFar() : List.of();
        synchronized (this) {
            return new Snapshot(s, position, done, planned, levels, share, masks, width, height, r, reason, message);
        }
    }

    /** The final selection run on the candidates so far (reused for a moment while more keep coming). */
    private List<GeneratedMask> masksSoFar() {
        synchronized (selectionLock) {
            List<List<GeneratedMask>> perCrop = new ArrayList<>();
            List<CropBox> cropsSoFar;
            int count;
            synchronized (this) {
                count = candidateCount;
                if (count == selectedFrom || (selectedFrom >= 0 && System.nanoTime() - selectedAt < SELECT_EVERY_NANOS)) {
                    return selected;
                }
                for (List<GeneratedMask> c : candidates) {
                    perCrop.add(new ArrayList<>(c));
                }
                cropsSoFar = crops.subList(0, Math.min(crops.size(), perCrop.size()));
            }
            selected = count == 0 ? List.of()
                    : List.copyOf(MaskSelection.select(perCrop, cropsSoFar, parameters, width, height));
            selectedFrom = count;
            selectedAt = System.nanoTime();
            return selected;
        }
    }
}

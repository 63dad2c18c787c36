package clickseg.server.everything;

import clickseg.everything.CropBox;
import clickseg.everything.GeneratedMask;

import java.util.List;

/**
 * What a running generation tells its job as it goes, and the one thing it asks: whether to stop. Called from
 * the job's thread and from the decoder threads at once, so implementations are thread-safe and quick.
 */
interface GenerationProgress {
    /** For callers that follow nothing: the cached path, tests. */
    GenerationProgress NONE = new GenerationProgress() {
        @Override
        public void started(List<CropBox> crops, int width, int height) {
        }

        @Override
        public void levelPlanned(int crop, int points) {
        }

        @Override
        public void pointDecoded(int crop, List<GeneratedMask> candidates) {
        }

        @Override
        public void spent(long cpuNanos) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    /** Before any point: the crops the image is prompted in (one: the whole image) and the image's size. */
    void started(List<CropBox> crops, int width, int height);

    /** The grid of crop number {@code crop} planned its next level: {@code points} more points (may be 0). */
    void levelPlanned(int crop, int points);

    /**
     * One point of crop number {@code crop} was decoded; {@code candidates} are the masks it added that passed
     * the filters (a view the caller reuses: copy what you keep).
     */
    void pointDecoded(int crop, List<GeneratedMask> candidates);

    /** CPU time one decoder thread spent on this image (what its client is charged). */
    void spent(long cpuNanos);

    /** True once the generation should stop: checked before each point; it then ends in CancellationException. */
    boolean cancelled();
}

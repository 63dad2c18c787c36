package clickseg.web.worker;

import clickseg.decoder.ImageSide;
import java.util.function.DoubleSupplier;

/**
 * An image side that also keeps the milliseconds spent in it per operation since the last
 * {@link #reset}, so that a worker can say where a decode's time went (the benchmark prints it).
 * About twenty clock reads per decode.
 */
final class TimedImageSide implements ImageSide {
    /** Operation names, in the order of {@link #millis()}. */
    static final String[] OPERATIONS = {"start", "project", "weightedSum", "addWeighted", "layerNorm", "upscale"};
    private static final int START = 0;
    private static final int PROJECT = 1;
    private static final int WEIGHTED_SUM = 2;
    private static final int ADD_WEIGHTED = 3;
    private static final int LAYER_NORM = 4;
    private static final int UPSCALE = 5;

    private final ImageSide inner;
    private final DoubleSupplier clock; // milliseconds
    private final double[] millis = new double[OPERATIONS.length];

    TimedImageSide(ImageSide inner, DoubleSupplier clock) {
        this.inner = inner;
        this.clock = clock;
    }

    static ImageSide.Factory wrapping(ImageSide.Factory factory, DoubleSupplier clock, TimedImageSide[] created) {
        return (imagePe, upscaling) -> created[0] = new TimedImageSide(factory.create(imagePe, upscaling), clock);
    }

    void reset() {
        java.util.Arrays.fill(millis, 0);
    }

    /** Milliseconds per operation since the last reset, in the order of {@link #OPERATIONS}. */
    double[] millis() {
        return millis;
    }

    private void add(int operation, double started) {
        millis[operation] += clock.getAsDouble() - started;
    }

    @Override
    public void useImage(float[] imageTokens) {
        inner.useImage(imageTokens);
    }

    @Override
    public void startKeys(int n0, int n1, float[] row) {
        double t = clock.getAsDouble();
        inner.startKeys(n0, n1, row);
        add(START, t);
    }

    @Override
    public void startKeysWithMask(int n0, int n1, float[] features, float[][] weightRows, float[] bias) {
        double t = clock.getAsDouble();
        inner.startKeysWithMask(n0, n1, features, weightRows, bias);
        add(START, t);
    }

    @Override
    public void addPositionalEncoding(int n0, int n1) {
        double t = clock.getAsDouble();
        inner.addPositionalEncoding(n0, n1);
        add(START, t);
    }

    @Override
    public void project(boolean withPositionalEncoding, int n0, int n1, float[][] weightRows, float[] bias, int out,
                        float[] dst, int dstOffset) {
        double t = clock.getAsDouble();
        inner.project(withPositionalEncoding, n0, n1, weightRows, bias, out, dst, dstOffset);
        add(PROJECT, t);
    }

    @Override
    public void weightedSum(float[] weights, int width, int n0, int n1, float[][] rows) {
        double t = clock.getAsDouble();
        inner.weightedSum(weights, width, n0, n1, rows);
        add(WEIGHTED_SUM, t);
    }

    @Override
    public void addWeighted(float[] weights, int width, int n0, int n1, float[][] rows, float[] bias) {
        double t = clock.getAsDouble();
        inner.addWeighted(weights, width, n0, n1, rows, bias);
        add(ADD_WEIGHTED, t);
    }

    /** Delegated untimed: the softmaxes' exponentials were token-side work before they moved here. */
    @Override
    public void expOfNonPositive(float[] x, int from, int to) {
        inner.expOfNonPositive(x, from, to);
    }

    @Override
    public void layerNorm(int n0, int n1, float[] weight, float[] bias, float eps) {
        double t = clock.getAsDouble();
        inner.layerNorm(n0, n1, weight, bias, eps);
        add(LAYER_NORM, t);
    }

    @Override
    public void upscaleAndPredict(int rowStart, int rowEnd, float[] hyper, float[] logits) {
        double t = clock.getAsDouble();
        inner.upscaleAndPredict(rowStart, rowEnd, hyper, logits);
        add(UPSCALE, t);
    }
}

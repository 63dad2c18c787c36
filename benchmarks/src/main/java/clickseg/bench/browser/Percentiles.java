package clickseg.bench.browser;

import java.util.Arrays;
import java.util.List;

/** Median and p90 of a sample, linearly interpolated between order statistics (numpy's default). */
final class Percentiles {
    private Percentiles() {
    }

    static double of(List<Double> values, double fraction) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    static double median(List<Double> values) {
        return of(values, 0.5);
    }

    static double p90(List<Double> values) {
        return of(values, 0.9);
    }
}

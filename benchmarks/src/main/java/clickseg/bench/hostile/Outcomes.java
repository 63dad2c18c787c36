package clickseg.bench.hostile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one test's requests got: a status (or "timeout"/"error") and a latency each. Thread-safe. */
final class Outcomes {
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final List<Double> millis = new ArrayList<>();

    synchronized void add(String status, double latencyMillis) {
        statuses.merge(status, 1, Integer::sum);
        millis.add(latencyMillis);
    }

    synchronized int requests() {
        return millis.size();
    }

    synchronized int count(String status) {
        return statuses.getOrDefault(status, 0);
    }

    synchronized String statuses() {
        StringBuilder s = new StringBuilder();
        statuses.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append("×").append(v));
        return s.toString();
    }

    /** Nearest-rank percentile in ms, or NaN without samples. */
    synchronized double percentile(double fraction) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

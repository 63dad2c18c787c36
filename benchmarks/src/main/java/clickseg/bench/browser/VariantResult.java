package clickseg.bench.browser;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Everything measured for one variant on one photo shape, over all rounds. */
final class VariantResult {
    final Variant variant;
    final List<Double> toLogits = new ArrayList<>();      // ms, measured prompts only
    final List<Double> toScreen = new ArrayList<>();      // ms
    final List<Double> decoderMillis = new ArrayList<>(); // ms the decoder itself reported
    final List<Double> multiplyAdds = new ArrayList<>();  // per sample, counted by our decoder (NaN for others)
    final List<String> kinds = new ArrayList<>();         // prompt kind per sample
    final List<byte[]> masks = new ArrayList<>();         // first round: packed 256×256 bits per measured prompt
    final List<Double> readyMs = new ArrayList<>();       // cold start: navigation → first mask possible
    final List<Double> firstMaskMs = new ArrayList<>();   // cold start: navigation → first mask on screen
    final List<Double> sessionMs = new ArrayList<>();     // onnxruntime-web session creation
    final List<Long> coldBytes = new ArrayList<>();       // bytes downloaded for the cold start
    final List<String> notes = new ArrayList<>();
    final List<Double> loadAverages = new ArrayList<>(); // 1-minute load average when each round began
    final List<Double> hoverToScreen = new ArrayList<>(); // ms, pointer move → its hover mask on screen, shown ones
    int hoverMoves;                                        // pointer moves replayed, over all rounds
    int hoverShown;                                        // of those, moves whose mask reached the screen
    String byteBreakdown = "";
    String failure;

    VariantResult(Variant variant) {
        this.variant = variant;
    }

    void addMask(int index, String base64) {
        if (masks.size() == index) {
            masks.add(Base64.getDecoder().decode(base64));
        }
    }

    /** Mean IoU of this variant's masks against {@code reference}'s, prompt by prompt (both empty = 1). */
    double meanIouAgainst(VariantResult reference) {
        return meanIouAgainst(reference, null);
    }

    /** The same over the prompts of one kind only ({@code null}: all). */
    double meanIouAgainst(VariantResult reference, String kind) {
        int n = Math.min(masks.size(), reference.masks.size());
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            if (kind != null && !kinds.get(i).equals(kind)) { // masks are the first round's, kinds[i] is theirs
                continue;
            }
            counted++;
            byte[] a = masks.get(i);
            byte[] b = reference.masks.get(i);
            int intersection = 0;
            int union = 0;
            for (int k = 0; k < a.length; k++) {
                intersection += Integer.bitCount(a[k] & b[k] & 0xff);
                union += Integer.bitCount((a[k] | b[k]) & 0xff);
            }
            sum += union == 0 ? 1 : (double) intersection / union;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Whether the decoder counted its multiply-adds for every sample (ours does, onnxruntime-web cannot). */
    boolean hasMultiplyAdds() {
        return !multiplyAdds.isEmpty() && multiplyAdds.stream().allMatch(Double::isFinite);
    }

    /** Median multiply-adds per second of decoder time (ours only), in G/s; NaN when not counted. */
    double gigaMultiplyAddsPerSecond() {
        if (multiplyAdds.size() != decoderMillis.size() || !hasMultiplyAdds()) {
            return Double.NaN;
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < multiplyAdds.size(); i++) {
            rates.add(multiplyAdds.get(i) / decoderMillis.get(i) / 1e6);
        }
        return Percentiles.median(rates);
    }

    List<Double> toScreenOf(String kind) {
        return ofKind(toScreen, kind);
    }

    List<Double> multiplyAddsOf(String kind) {
        return ofKind(multiplyAdds, kind);
    }

    /** The samples of {@code values} (one per measured prompt, like {@link #kinds}) of one prompt kind. */
    private List<Double> ofKind(List<Double> values, String kind) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (kinds.get(i).equals(kind)) {
                out.add(values.get(i));
            }
        }
        return out;
    }
}

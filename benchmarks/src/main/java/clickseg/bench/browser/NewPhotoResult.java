package clickseg.bench.browser;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A new photo's upload → first mask on screen, per photo, for one route (the first photo is warm-up). */
final class NewPhotoResult {
    final Variant variant;
    final List<Double> totalMs = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    double readyMs;
    double sessionMs;
    long coldBytes;
    String failure;

    NewPhotoResult(Variant variant) {
        this.variant = variant;
    }

    void add(String photo, boolean warmup, JsonObject r) {
        double total = r.get("totalMs").getAsDouble();
        JsonObject stages = r.getAsJsonObject("stages");
        StringBuilder text = new StringBuilder(photo).append(warmup ? " (warm-up)" : "").append(": ")
                .append(Math.round(total)).append(" ms =");
        stages.entrySet().forEach(e -> {
            if (e.getValue().getAsJsonPrimitive().isNumber()) {
                text.append(' ').append(e.getKey()).append(" @").append(Math.round(e.getValue().getAsDouble()));
            } else {
                text.append(' ').append(e.getKey()).append('=').append(e.getValue().getAsString());
            }
        });
        JsonObject first = r.getAsJsonObject("first");
        text.append(", then decode+draw ").append(Math.round(first.get("toScreen").getAsDouble())).append(" ms");
        details.add(text.toString());
        if (!warmup) {
            totalMs.add(total);
        }
    }
}

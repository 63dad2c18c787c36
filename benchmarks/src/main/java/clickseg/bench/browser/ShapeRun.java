package clickseg.bench.browser;

import com.google.gson.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the benchmark needs and measures for one photo shape: the photo (embedded once by the
 * real server), the page configuration that points at it, the prompts and the hover path drawn from
 * its ground truth (identical for every variant), and each variant's results on it.
 *
 * @param upload the server's answer to the photo's upload (id, width, height, embedding URL)
 * @param config the photo's part of the page configuration (merged with the run's, see BrowserBenchmark)
 */
record ShapeRun(BenchPhoto photo, JsonObject upload, Map<String, Object> config, List<BenchPrompt> warmup,
                List<BenchPrompt> measured, List<float[]> hoverPath, Map<Variant, VariantResult> results) {

    ShapeRun(BenchPhoto photo, JsonObject upload, Map<String, Object> config, List<BenchPrompt> warmup,
             List<BenchPrompt> measured, List<float[]> hoverPath) {
        this(photo, upload, config, warmup, measured, hoverPath, new EnumMap<>(Variant.class));
    }

    /** "16:9, 600×338": how the report names this shape. */
    String title() {
        return photo.shape() + " photo, " + photo.width() + "×" + photo.height();
    }
}

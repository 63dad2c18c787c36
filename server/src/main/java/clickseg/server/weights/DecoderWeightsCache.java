package clickseg.server.weights;

import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.DecoderWeightsCodec.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The browser's decoder weights, extracted once from a SAM decoder ONNX file and cached beside
 * it ({@code decoder-weights-f32.bin}, {@code decoder-weights-f16.bin}). A cached file is reused
 * while it is newer than the ONNX file; it is written to a temporary name and moved into place,
 * so a crash never leaves a half-written file that would later be served.
 */
public final class DecoderWeightsCache {
    private DecoderWeightsCache() {
    }

    public static Path fileFor(Path decoderOnnx, Precision precision) {
        return decoderOnnx.resolveSibling("decoder-weights-" + precision.name().toLowerCase(Locale.ROOT) + ".bin");
    }

    /** The cached weights file for this ONNX decoder, created if missing or stale. */
    public static synchronized Path ensure(Path decoderOnnx, Precision precision) {
        Path target = fileFor(decoderOnnx, precision);
        try {
            if (Files.isRegularFile(target)
                    && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(decoderOnnx)) >= 0) {
                return target;
            }
            byte[] encoded = DecoderWeightsCodec.encode(OnnxDecoderWeights.read(Files.readAllBytes(decoderOnnx)), precision);
            Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(temporary, encoded);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build decoder weights from " + decoderOnnx, e);
        }
    }
}

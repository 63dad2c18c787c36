package clickseg.decoder;

import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.Device;
import clickseg.server.model.EncoderSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Image embeddings for the decoder tests, made by the server's own pipeline (decoder, SAM
 * pre-processing, ONNX Runtime encoder) so that the tests see what users' browsers see.
 * Cached per image name for the test JVM: encoding is the slow part of these tests.
 */
final class EncoderOracle {
    private static final Map<String, float[]> CACHE = new HashMap<>();
    private static EncoderSession encoder;

    private EncoderOracle() {
    }

    static synchronized float[] embed(String name, BufferedImage image) throws Exception {
        float[] cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return embed(name, png.toByteArray());
    }

    /** @param encoded the image file's bytes, as a user would upload them */
    static synchronized float[] embed(String name, byte[] encoded) throws Exception {
        float[] cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        if (encoder == null) {
            encoder = EncoderSession.open(TestModels.defaultModel(), Device.CPU, false,
                    Runtime.getRuntime().availableProcessors());
        }
        DecodedImage decoded = new ImageDecoder(100_000_000L).decode(encoded);
        float[] embedding = encoder.encode(new Preprocessor(TestModels.defaultModel().manifest().preprocessing())
                .prepare(decoded)); // (256, 64, 64)
        CACHE.put(name, embedding);
        return embedding;
    }
}

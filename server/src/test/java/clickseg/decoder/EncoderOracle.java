package clickseg.decoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import clickseg.prompt.CoordinateTransform;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Image embeddings for the tests, from the default encoder.onnx with SAM's pre-processing done
 * simply here (resize the longest side to 1024 bilinearly, normalise with SAM's mean and std, pad
 * bottom-right). The server's own pre-processing is tested elsewhere; these embeddings only need
 * to be realistic. Cached per image name for the test JVM.
 */
final class EncoderOracle {
    private static final float[] MEAN = {123.675f, 116.28f, 103.53f};
    private static final float[] STD = {58.395f, 57.12f, 57.375f};
    private static final Map<String, float[]> CACHE = new HashMap<>();

    private EncoderOracle() {
    }

    static synchronized float[] embed(String name, BufferedImage image) throws Exception {
        float[] cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        CoordinateTransform t = new CoordinateTransform(image.getWidth(), image.getHeight());
        BufferedImage resized = new BufferedImage(t.resizedWidth(), t.resizedHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, t.resizedWidth(), t.resizedHeight(), null);
        g.dispose();
        int side = CoordinateTransform.TARGET_LENGTH;
        float[] input = new float[3 * side * side];
        for (int y = 0; y < t.resizedHeight(); y++) {
            for (int x = 0; x < t.resizedWidth(); x++) {
                int rgb = resized.getRGB(x, y);
                int[] channel = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    input[c * side * side + y * side + x] = (channel[c] - MEAN[c]) / STD[c];
                }
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        try (OrtSession session = env.createSession(TestModels.encoderOnnx().toString(), options);
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, side, side});
             OrtSession.Result result = session.run(Map.of("input", tensor))) {
            FloatBuffer b = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
            float[] embedding = new float[b.remaining()];
            b.get(embedding);
            CACHE.put(name, embedding);
            return embedding;
        }
    }
}

package clickseg.bench.jvm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import clickseg.prompt.CoordinateTransform;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * An embedding to benchmark with: the encoder's output for a synthetic picture of soft blobs when
 * the encoder is available (realistic statistics), else fixed pseudo-random values.
 */
final class DecoderBenchmarkEmbedding {
    private DecoderBenchmarkEmbedding() {
    }

    static float[] of(Path encoderOnnx, int width, int height) throws Exception {
        if (!Files.isRegularFile(encoderOnnx)) {
            Random random = new Random(42);
            float[] e = new float[256 * 64 * 64];
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) random.nextGaussian() * 0.1f;
            }
            return e;
        }
        CoordinateTransform t = new CoordinateTransform(width, height);
        int side = CoordinateTransform.TARGET_LENGTH;
        float[] input = new float[3 * side * side]; // normalised 0 in the padding
        for (int y = 0; y < t.resizedHeight(); y++) {
            for (int x = 0; x < t.resizedWidth(); x++) {
                double blob = Math.exp(-(Math.pow((x - 500) / 180.0, 2) + Math.pow((y - 380) / 140.0, 2)));
                double r = 60 + 160 * blob;
                double g = 120 + 40 * Math.sin(x / 37.0);
                double b = 90 + 60 * (1 - blob);
                input[y * side + x] = (float) ((r - 123.675) / 58.395);
                input[side * side + y * side + x] = (float) ((g - 116.28) / 57.12);
                input[2 * side * side + y * side + x] = (float) ((b - 103.53) / 57.375);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(encoderOnnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, side, side});
             OrtSession.Result result = session.run(Map.of("input", tensor))) {
            FloatBuffer b = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] e = new float[b.remaining()];
            b.get(e);
            return e;
        }
    }
}

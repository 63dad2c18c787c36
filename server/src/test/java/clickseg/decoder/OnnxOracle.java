package clickseg.decoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import clickseg.server.weights.OnnxGraph;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime running SAM's decoder graph: the oracle the Java decoder is checked against.
 *
 * <p>The default export is single-mask: its outputs only hold the selected mask. The graph is
 * re-serialised with two intermediate tensors added as outputs, so all four masks and IoUs are
 * compared before the selection: {@value #ALL_MASKS} (the hypernetwork product reshaped to
 * (1, 4, 256, 256)) and {@value #ALL_IOUS} (the IoU head's output, (1, 4)).
 */
final class OnnxOracle implements AutoCloseable {
    static final String ALL_MASKS = "/Reshape_9_output_0";
    static final String ALL_IOUS = "/iou_prediction_head/layers.2/Gemm_output_0";

    private static OnnxOracle shared;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    record Output(float[] allMasks, float[] allIous, float[] selectedLowRes, float selectedIou, float[] masks,
                  int maskHeight, int maskWidth) {
    }

    private OnnxOracle(byte[] model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        session = env.createSession(model, options);
    }

    /** One oracle per test JVM (the session takes a second to build). */
    static synchronized OnnxOracle shared() throws Exception {
        if (shared == null) {
            byte[] model = Files.readAllBytes(TestModels.decoderOnnx());
            shared = new OnnxOracle(OnnxGraph.parse(model).withExtraOutputs(List.of(ALL_MASKS, ALL_IOUS)));
        }
        return shared;
    }

    /**
     * @param coords (points, 2) in the 1024 frame, already including padding or box corners
     * @param labels (points)
     * @param maskInput (256, 256) or null
     */
    Output run(float[] embedding, float[] coords, float[] labels, int points, float[] maskInput, int width, int height)
            throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("image_embeddings", tensor(embedding, 1, 256, 64, 64));
            inputs.put("point_coords", tensor(java.util.Arrays.copyOf(coords, 2 * points), 1, points, 2));
            inputs.put("point_labels", tensor(java.util.Arrays.copyOf(labels, points), 1, points));
            inputs.put("mask_input", tensor(maskInput != null ? maskInput : new float[256 * 256], 1, 1, 256, 256));
            inputs.put("has_mask_input", tensor(new float[] {maskInput != null ? 1f : 0f}, 1));
            inputs.put("orig_im_size", tensor(new float[] {height, width}, 2));
            try (OrtSession.Result result = session.run(inputs)) {
                return new Output(floats(result, ALL_MASKS), floats(result, ALL_IOUS), floats(result, "low_res_masks"),
                        floats(result, "iou_predictions")[0], floats(result, "masks"), height, width);
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    private OnnxTensor tensor(float[] data, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

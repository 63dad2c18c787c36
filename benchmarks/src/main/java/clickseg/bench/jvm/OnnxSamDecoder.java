package clickseg.bench.jvm;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;
import clickseg.server.model.ModelFile;
import clickseg.server.model.ModelFiles;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** The model's own decoder graph in ONNX Runtime: the reference the Java decoder and the embeddings are measured against. */
final class OnnxSamDecoder implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelFile graph;
    private final int[] embeddingShape;

    /** One click's outputs. */
    record Result(float[] lowResLogits /* (256, 256) */, boolean[] mask /* (H, W) at original size */) {
    }

    OnnxSamDecoder(ModelFiles files, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        this.session = environment.createSession(files.decoder().toString(), options);
        this.graph = files.manifest().decoder();
        this.embeddingShape = files.manifest().embeddingShape();
    }

    /**
     * @param embedding (C, H, W)
     * @param x,y       click in original pixels
     */
    Result clickPositive(float[] embedding, int x, int y, int width, int height, int resizedWidth, int resizedHeight)
            throws OrtException {
        float sx = (float) resizedWidth / width;
        float sy = (float) resizedHeight / height;
        // One foreground click plus SAM's padding point (0, 0) labelled -1 when there is no box.
        return run(embedding, new float[]{x * sx, y * sy, 0f, 0f}, new float[]{1f, -1f}, null, width, height);
    }

    /**
     * Any prompt, optionally refining a previous mask, as a click session sends it.
     *
     * @param embedding (C, H, W)
     * @param maskInput (256, 256) previous low-resolution logits, or null for none (has_mask_input = 0)
     */
    Result decode(float[] embedding, Prompt prompt, CoordinateTransform transform, float[] maskInput) throws OrtException {
        int n = prompt.modelPointCount();
        float[] coords = new float[2 * n]; // (n, 2) in the resized frame
        int[] labels = new int[n];
        prompt.toModelPoints(transform, coords, labels);
        float[] floatLabels = new float[n];
        for (int i = 0; i < n; i++) {
            floatLabels[i] = labels[i];
        }
        return run(embedding, coords, floatLabels, maskInput, transform.originalWidth(), transform.originalHeight());
    }

    private Result run(float[] embedding, float[] coords, float[] labels, float[] maskInput, int width, int height)
            throws OrtException {
        int n = labels.length;
        long[] embeddingDims = {1, embeddingShape[1], embeddingShape[2], embeddingShape[3]};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(graph.input("imageEmbeddings"), OnnxTensor.createTensor(environment, FloatBuffer.wrap(embedding), embeddingDims));
            inputs.put(graph.input("pointCoords"), OnnxTensor.createTensor(environment,
                    FloatBuffer.wrap(coords), new long[]{1, n, 2}));
            inputs.put(graph.input("pointLabels"), OnnxTensor.createTensor(environment,
                    FloatBuffer.wrap(labels), new long[]{1, n}));
            inputs.put(graph.input("maskInput"), OnnxTensor.createTensor(environment,
                    FloatBuffer.wrap(maskInput != null ? maskInput : new float[256 * 256]), new long[]{1, 1, 256, 256}));
            inputs.put(graph.input("hasMaskInput"), OnnxTensor.createTensor(environment,
                    FloatBuffer.wrap(new float[]{maskInput != null ? 1f : 0f}), new long[]{1}));
            inputs.put(graph.input("origImSize"), OnnxTensor.createTensor(environment,
                    FloatBuffer.wrap(new float[]{height, width}), new long[]{2}));
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor low = (OnnxTensor) result.get(graph.output("lowResMasks")).orElseThrow();
                FloatBuffer lowValues = low.getFloatBuffer();
                float[] logits = new float[256 * 256];
                lowValues.get(logits, 0, logits.length); // single-mask export: (1, 1, 256, 256)
                OnnxTensor masks = (OnnxTensor) result.get(graph.output("masks")).orElseThrow();
                boolean[] mask = new boolean[width * height];
                if (((TensorInfo) masks.getInfo()).type == OnnxJavaType.BOOL) {
                    ByteBuffer bytes = masks.getByteBuffer();
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = bytes.get(i) != 0;
                    }
                } else {
                    FloatBuffer values = masks.getFloatBuffer();
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = values.get(i) > 0f; // SAM's mask threshold on logits
                    }
                }
                return new Result(logits, mask);
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

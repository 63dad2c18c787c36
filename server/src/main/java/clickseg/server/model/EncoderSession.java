package clickseg.server.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import clickseg.server.image.EncoderInput;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The image encoder in ONNX Runtime: the one place encoding touches ONNX Runtime types. Takes the
 * pre-processed CHW tensor and returns the embedding as a plain {@code float[]}.
 *
 * <p>Thread count is set explicitly: ONNX Runtime's default ran this encoder on one thread on the 2-core
 * machine it was developed on, while two threads made it 1.6x faster. {@link #encode} may be called from
 * several threads at once (ONNX Runtime sessions are thread-safe for {@code run}).
 */
public final class EncoderSession implements AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int[] embeddingShape; // (1, C, H, W)
    private final Device device;
    private final int threads;

    private EncoderSession(OrtEnvironment environment, OrtSession session, ModelManifest manifest, Device device, int threads) {
        this.environment = environment;
        this.session = session;
        this.inputName = manifest.encoder().input("image");
        this.outputName = manifest.encoder().output("imageEmbeddings");
        this.embeddingShape = manifest.embeddingShape().clone();
        this.device = device;
        this.threads = threads;
    }

    /**
     * @param cpuFallback when CUDA was asked for but cannot load, run on the CPU instead of failing
     * @param threads     intra-op threads (the machine's cores is right for one encoding at a time)
     */
    public static EncoderSession open(ModelFiles files, Device device, boolean cpuFallback, int threads)
            throws EncoderUnavailableException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Device used = device;
        OrtSession.SessionOptions options = null;
        try {
            options = baseOptions(threads);
            if (device == Device.CUDA) {
                String problem = addCuda(options);
                if (problem != null) {
                    if (!cpuFallback) {
                        throw new EncoderUnavailableException(problem);
                    }
                    System.err.println("clickseg: " + problem + " -- falling back to the CPU as asked (--cpu-fallback)");
                    options.close();
                    options = baseOptions(threads);
                    used = Device.CPU;
                }
            }
            OrtSession session = environment.createSession(files.encoder().toString(), options);
            EncoderSession encoder = new EncoderSession(environment, session, files.manifest(), used, threads);
            encoder.checkGraph(files);
            return encoder;
        } catch (OrtException e) {
            throw new EncoderUnavailableException("ONNX Runtime cannot load the encoder " + files.encoder() + ": "
                    + firstLine(e.getMessage()), e);
        } finally {
            if (options != null) {
                options.close();
            }
        }
    }

    private static OrtSession.SessionOptions baseOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        return options;
    }

    /** Adds the CUDA provider; returns null on success, else the one-line reason it cannot. */
    private static String addCuda(OrtSession.SessionOptions options) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "--device cuda: this build's ONNX Runtime has no CUDA execution provider (it has "
                    + OrtEnvironment.getAvailableProviders() + "); rebuild with `mvn -Pcuda package` or use --device cpu";
        }
        try {
            options.addCUDA(0);
            return null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return "--device cuda: ONNX Runtime's CUDA execution provider failed to load (" + firstLine(e.getMessage())
                    + "); install CUDA 12 and cuDNN 9 matching onnxruntime_gpu, or use --device cpu";
        }
    }

    private void checkGraph(ModelFiles files) throws EncoderUnavailableException, OrtException {
        if (!session.getInputNames().contains(inputName)) {
            throw new EncoderUnavailableException("encoder " + files.encoder() + " has no input \"" + inputName
                    + "\" (its inputs: " + session.getInputNames() + "): fix encoder.inputs.image in "
                    + files.manifest().origin());
        }
        if (!session.getOutputNames().contains(outputName)) {
            throw new EncoderUnavailableException("encoder " + files.encoder() + " has no output \"" + outputName
                    + "\" (its outputs: " + session.getOutputNames() + "): fix encoder.outputs.imageEmbeddings in "
                    + files.manifest().origin());
        }
        NodeInfo output = session.getOutputInfo().get(outputName);
        if (output.getInfo() instanceof TensorInfo tensor) {
            long[] declared = tensor.getShape();
            boolean matches = declared.length == embeddingShape.length;
            for (int i = 0; matches && i < declared.length; i++) {
                matches = declared[i] < 0 || declared[i] == embeddingShape[i]; // negative = symbolic dimension
            }
            if (!matches) {
                throw new EncoderUnavailableException("encoder output \"" + outputName + "\" has shape "
                        + Arrays.toString(declared) + " but " + files.manifest().origin() + " says embeddingShape "
                        + Arrays.toString(embeddingShape));
            }
        }
    }

    /** @return the embedding, (C, H, W) flattened, e.g. (256, 64, 64) */
    public float[] encode(EncoderInput input) throws OrtException {
        long[] shape = {1, 3, input.side(), input.side()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input.chw()), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(outputName).orElseThrow();
            FloatBuffer values = output.getFloatBuffer();
            int expected = embeddingShape[1] * embeddingShape[2] * embeddingShape[3];
            if (values.remaining() != expected) {
                throw new IllegalStateException("encoder returned " + values.remaining() + " values, expected "
                        + Arrays.toString(embeddingShape));
            }
            float[] embedding = new float[expected];
            values.get(embedding);
            return embedding;
        }
    }

    /** "CPU" or "CUDA": which execution provider encodes. */
    public Device device() {
        return device;
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

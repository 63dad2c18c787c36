package clickseg.server.decoder;

import clickseg.decoder.DecoderWeights;
import clickseg.decoder.MaskDecoder;

/**
 * The mask decoders the server runs (segment requests, segment-everything): on the Vector API kernels
 * when the JVM was started with {@code --add-modules jdk.incubator.vector}, else on shared's plain
 * Java kernels, which give the same masks about four times slower. The choice is made once per JVM.
 */
public final class ServerDecoders {
    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("clickseg.plainJavaKernels");

    private ServerDecoders() {
    }

    /** A new decoder (about 0.1 s: it lays out its own copy of the weights). */
    public static MaskDecoder create(DecoderWeights weights) {
        // VectorImageSide is only loaded on this branch: without the module its class cannot link
        return VECTOR_API ? MaskDecoder.forHotSpot(weights, VectorImageSide::new) : new MaskDecoder(weights);
    }

    /** What {@link #create} runs on, for the startup log and /api/health. */
    public static String kernels() {
        return VECTOR_API ? "Vector API (" + VectorGemm.L + " floats per vector)"
                : "plain Java (start the JVM with --add-modules jdk.incubator.vector for the Vector API kernels)";
    }

    public static boolean vectorApi() {
        return VECTOR_API;
    }
}

package clickseg.server.model;

import java.util.Locale;

/** Where the image encoder runs. */
public enum Device {
    CPU,
    /** ONNX Runtime's CUDA execution provider; needs the build with -Pcuda (onnxruntime_gpu). */
    CUDA;

    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device must be cpu or cuda, got \"" + text + "\"");
        }
    }

    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

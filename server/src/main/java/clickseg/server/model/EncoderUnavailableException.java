package clickseg.server.model;

/** The encoder cannot run as asked (no CUDA provider, graph without the named tensors...); one line. */
public final class EncoderUnavailableException extends Exception {
    public EncoderUnavailableException(String message) {
        super(message);
    }

    public EncoderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

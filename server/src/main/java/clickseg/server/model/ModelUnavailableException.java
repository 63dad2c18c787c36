package clickseg.server.model;

/** The model's files cannot be found, fetched or verified; the message is one line saying what to do. */
public final class ModelUnavailableException extends Exception {
    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

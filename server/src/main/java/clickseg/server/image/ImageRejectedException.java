package clickseg.server.image;

/** An upload the server will not encode; {@link #reason()} says which HTTP answer fits. */
public final class ImageRejectedException extends Exception {

    public enum Reason {
        /** The bytes are not one of the accepted image formats (415). */
        NOT_AN_IMAGE,
        /** The format is recognised but the data is truncated or corrupt (400). */
        CORRUPT,
        /** The header declares more pixels than the configured limit (413). */
        TOO_MANY_PIXELS
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

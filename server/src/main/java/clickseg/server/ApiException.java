package clickseg.server;

/** An answer other than success, rendered as JSON {@code {error, message}} with its HTTP status. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** A short stable code clients can switch on, e.g. "unsupported_media_type". */
    public String error() {
        return error;
    }
}

package clickseg.server.remote;

/** A remote image that was not fetched, with the reason in words. */
public final class RemoteFetchException extends Exception {
    /** What kind of "no" this is, so the route can pick the status. */
    public enum Kind {
        /** The URL, its scheme or an address it resolves to (or redirects to) is not allowed. */
        REFUSED,
        /** The remote answer is larger than the upload limit. */
        TOO_LARGE,
        /** The remote server could not be reached, timed out, or did not answer 200 with a body. */
        FAILED
    }

    private final Kind kind;

    public RemoteFetchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RemoteFetchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

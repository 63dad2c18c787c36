package clickseg.server.model;

/** A model manifest that cannot be used; the message names the manifest and the offending field. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}

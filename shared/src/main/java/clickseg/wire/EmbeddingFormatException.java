package clickseg.wire;

/** Bytes that are not a valid embedding container; the message says what is wrong with them. */
public final class EmbeddingFormatException extends RuntimeException {
    public EmbeddingFormatException(String message) {
        super(message);
    }
}

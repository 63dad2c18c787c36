package clickseg.server;

import clickseg.server.image.EncoderInput;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Turns an image that has no stored embedding into stored blobs ({@link EmbeddingBlobs}): here or elsewhere. */
public interface EmbeddingProducer {

    /**
     * Encodes the image and stores its embeddings and its original (embeddings first), once per id however many
     * callers ask at the same time; answers the f32 master's description.
     *
     * @param input the decoded, pre-processed image (a producer that encodes elsewhere may ignore it)
     * @throws java.util.concurrent.RejectedExecutionException the encoder queue is full; nothing is stored
     */
    EmbeddingBlobs.Stored produce(String id, byte[] original, EncoderInput input)
            throws IOException, ImageLibrary.EncodingFailedException;

    /**
     * The result of an encoding running (or waited for) on a pool thread, its failure unwrapped: an I/O or
     * encoding failure as itself, anything else as an encoding failure naming the image.
     */
    static EmbeddingBlobs.Stored await(String id, CompletableFuture<EmbeddingBlobs.Stored> result)
            throws IOException, ImageLibrary.EncodingFailedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageLibrary.EncodingFailedException("interrupted while waiting for the encoder", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof ImageLibrary.EncodingFailedException failed) {
                throw failed;
            }
            throw new ImageLibrary.EncodingFailedException("encoding image " + id + " failed: " + cause, cause);
        }
    }
}

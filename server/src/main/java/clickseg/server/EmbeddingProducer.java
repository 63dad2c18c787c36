package clickseg.server;

import clickseg.server.image.EncoderInput;

import java.io.IOException;

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
}

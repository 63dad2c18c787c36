package clickseg.server;

import clickseg.server.image.EncoderInput;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelManifest;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Encodes in this process on the {@link EncodingPool} (role "all", the embedded default). */
public final class LocalEmbeddingProducer implements EmbeddingProducer {
    private final EmbeddingBlobs blobs;
    private final EncoderSession encoder;
    private final EncodingPool pool;
    private final ModelManifest manifest;

    public LocalEmbeddingProducer(EmbeddingBlobs blobs, EncoderSession encoder, EncodingPool pool, ModelManifest manifest) {
        this.blobs = blobs;
        this.encoder = encoder;
        this.pool = pool;
        this.manifest = manifest;
    }

    @Override
    public EmbeddingBlobs.Stored produce(String id, byte[] original, EncoderInput input)
            throws IOException, ImageLibrary.EncodingFailedException {
        CompletableFuture<EmbeddingBlobs.Stored> result = pool.submit(id, () -> {
            EmbeddingBlobs.Stored already = blobs.stored(id, Dtype.F32); // a request that finished just before us
            if (already != null) {
                blobs.writeImage(id, original, already.width(), already.height());
                return already;
            }
            float[] embedding = encoder.encode(input); // (C, H, W)
            EmbeddingContainer container = new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                    input.originalWidth(), input.originalHeight(), input.resizedWidth(), input.resizedHeight(), embedding);
            // The embeddings first: a full disk then leaves nothing of this image (the store deletes its partial
            // file), never an original without its embedding; a later upload of the same bytes finishes it.
            blobs.writeEncoded(id, container, App.DEFAULT_EMBEDDING_DTYPE);
            blobs.writeImage(id, original, input.originalWidth(), input.originalHeight());
            return blobs.stored(id, Dtype.F32);
        });
        return EmbeddingProducer.await(id, result);
    }
}

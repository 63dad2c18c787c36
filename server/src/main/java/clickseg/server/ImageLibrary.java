package clickseg.server;

import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelManifest;
import clickseg.server.store.BlobStore;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Images and their embeddings for one model, without HTTP: an image is named by the sha256 of its bytes,
 * decoded and encoded at most once, and both the original bytes and the f32 embedding container are kept
 * in the blob store ("images/&lt;id&gt;", "embeddings/&lt;model&gt;/&lt;id&gt;").
 */
public final class ImageLibrary {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final BlobStore store;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final EncoderSession encoder;
    private final EncodingPool pool;
    private final ModelManifest manifest;

    /** What an upload resolved to. */
    public record Upload(String id, int width, int height, String modelId, boolean alreadyEncoded) {
    }

    public ImageLibrary(BlobStore store, ImageDecoder decoder, EncoderSession encoder, EncodingPool pool,
                        ModelManifest manifest) {
        this.store = store;
        this.decoder = decoder;
        this.preprocessor = new Preprocessor(manifest.preprocessing());
        this.encoder = encoder;
        this.pool = pool;
        this.manifest = manifest;
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * Stores and encodes an uploaded image unless its embedding is already stored.
     *
     * @throws ImageRejectedException               bad bytes; nothing is stored
     * @throws java.util.concurrent.RejectedExecutionException the encoder queue is full; nothing is stored
     */
    public Upload add(byte[] bytes) throws ImageRejectedException, IOException, EncodingFailedException {
        String id = Sha256.hex(bytes);
        EmbeddingContainer stored = storedHeader(id);
        if (stored != null && store.contains(imageKey(id))) {
            return new Upload(id, stored.originalWidth(), stored.originalHeight(), manifest.id(), true);
        }
        EncoderInput input = decodeForEncoder(bytes); // rejects before anything is stored or queued
        EmbeddingContainer encoded = encodeOnce(id, input, bytes);
        return new Upload(id, encoded.originalWidth(), encoded.originalHeight(), manifest.id(), false);
    }

    /** Whether the image's bytes are stored (uploaded and not evicted); not counted as a use. */
    public boolean has(String id) {
        return store.contains(imageKey(id));
    }

    /** The uploaded bytes, or null when unknown (or evicted). */
    public byte[] original(String id) throws IOException {
        return store.get(imageKey(id));
    }

    /**
     * The f32 embedding container, encoding the stored image again if only the embedding was evicted;
     * null when the image is unknown.
     */
    public byte[] embedding(String id) throws IOException, EncodingFailedException {
        byte[] container = store.get(embeddingKey(id));
        if (container != null) {
            return container;
        }
        byte[] original = store.get(imageKey(id));
        if (original == null) {
            return null;
        }
        EncoderInput input;
        try {
            input = decodeForEncoder(original);
        } catch (ImageRejectedException e) {
            throw new EncodingFailedException("the stored image " + id + " no longer decodes: " + e.getMessage(), e);
        }
        encodeOnce(id, input, original);
        return store.get(embeddingKey(id));
    }

    public String embeddingKey(String id) {
        return "embeddings/" + manifest.id() + "/" + id;
    }

    private static String imageKey(String id) {
        return "images/" + id;
    }

    private EmbeddingContainer storedHeader(String id) throws IOException {
        byte[] container = store.get(embeddingKey(id));
        return container == null ? null : EmbeddingCodec.decode(container);
    }

    /**
     * The encoder's input, decoded (subsampled when the image is huge) and pre-processed while the decode's
     * memory is reserved: what waits in the encoder queue afterwards is only the fixed-size input tensor.
     */
    private EncoderInput decodeForEncoder(byte[] bytes) throws ImageRejectedException {
        return decoder.decode(bytes, preprocessor.longestSide(), preprocessor.workingBytes(), preprocessor::prepare);
    }

    private EmbeddingContainer encodeOnce(String id, EncoderInput input, byte[] original)
            throws IOException, EncodingFailedException {
        CompletableFuture<EmbeddingContainer> result = pool.submit(id, () -> {
            EmbeddingContainer already = storedHeader(id); // a request that finished just before us
            if (already != null) {
                store.put(imageKey(id), original);
                return already;
            }
            float[] embedding = encoder.encode(input); // (C, H, W)
            EmbeddingContainer container = new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                    input.originalWidth(), input.originalHeight(), input.resizedWidth(), input.resizedHeight(), embedding);
            // The embedding first: a full disk then leaves nothing of this image (the store deletes its partial
            // file), never an original without its embedding; a later upload of the same bytes finishes it.
            store.put(embeddingKey(id), EmbeddingCodec.encode(container, Dtype.F32));
            store.put(imageKey(id), original);
            return container;
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EncodingFailedException("interrupted while waiting for the encoder", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new EncodingFailedException("encoding image " + id + " failed: " + cause, cause);
        }
    }

    /** The encoder or the store failed on a valid image: the server's fault (500), not the client's. */
    public static final class EncodingFailedException extends Exception {
        public EncodingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

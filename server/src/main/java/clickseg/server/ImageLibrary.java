package clickseg.server;

import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.ModelManifest;
import clickseg.server.store.BlobStore;
import clickseg.wire.Dtype;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Images and their embeddings for one model, without HTTP: an image is named by the sha256 of its bytes,
 * decoded and encoded at most once, and both the original bytes and the embedding containers are kept in the
 * blob store, with their sizes and digests as metadata beside them (layout: {@link EmbeddingBlobs}).
 *
 * <p>Where the encoder runs is an {@link EmbeddingProducer}: in this process ({@link LocalEmbeddingProducer}, the
 * default) or on encoder nodes through a PostgreSQL job queue ({@code clickseg.server.jobs}).
 */
public final class ImageLibrary {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final EmbeddingBlobs blobs;
    private final BlobStore store;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final EmbeddingProducer producer;
    private final ModelManifest manifest;
    private final java.util.concurrent.atomic.AtomicLong decodeNanos = new java.util.concurrent.atomic.AtomicLong();

    /** What an upload resolved to. */
    public record Upload(String id, int width, int height, String modelId, boolean alreadyEncoded) {
    }

    public ImageLibrary(BlobStore store, ImageDecoder decoder, EmbeddingProducer producer, ModelManifest manifest) {
        this.blobs = new EmbeddingBlobs(store, manifest.id());
        this.store = store;
        this.decoder = decoder;
        this.preprocessor = new Preprocessor(manifest.preprocessing());
        this.producer = producer;
        this.manifest = manifest;
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public EmbeddingBlobs blobs() {
        return blobs;
    }

    /**
     * Stores and encodes an uploaded image unless its embedding is already stored.
     *
     * @throws ImageRejectedException               bad bytes; nothing is stored
     * @throws java.util.concurrent.RejectedExecutionException the encoder queue is full; nothing is stored
     */
    public Upload add(byte[] bytes) throws ImageRejectedException, IOException, EncodingFailedException {
        String id = Sha256.hex(bytes);
        // Used before looked at: once it answers true, eviction leaves this image alone for a while, so the id
        // answered below still has its image and embedding when the client comes back for them.
        if (store.use(EmbeddingBlobs.imageKey(id))) {
            EmbeddingBlobs.Stored stored = blobs.stored(id, Dtype.F32);
            if (stored != null) {
                return new Upload(id, stored.width(), stored.height(), manifest.id(), true);
            }
        }
        EncoderInput input = decodeForEncoder(bytes); // rejects before anything is stored or queued
        EmbeddingBlobs.Stored encoded = producer.produce(id, bytes, input);
        return new Upload(id, encoded.width(), encoded.height(), manifest.id(), false);
    }

    /**
     * Counts the image as used now and answers whether its bytes are stored; after true, eviction leaves it
     * alone for a while (a share about to point at it relies on that).
     */
    public boolean keep(String id) throws IOException {
        return store.use(EmbeddingBlobs.imageKey(id));
    }

    /** Whether the image's bytes are stored (uploaded and not evicted); not counted as a use. */
    public boolean has(String id) {
        return store.contains(EmbeddingBlobs.imageKey(id));
    }

    /** The uploaded bytes, or null when unknown (or evicted). */
    public byte[] original(String id) throws IOException {
        return store.get(EmbeddingBlobs.imageKey(id));
    }

    /**
     * The f32 embedding container, encoding the stored image again if only the embedding was evicted;
     * null when the image is unknown.
     */
    public byte[] embedding(String id) throws IOException, EncodingFailedException {
        byte[] container = store.get(blobs.embeddingKey(id, Dtype.F32));
        if (container != null) {
            return container;
        }
        if (reencode(id) == null) {
            return null;
        }
        return store.get(blobs.embeddingKey(id, Dtype.F32));
    }

    /**
     * The stored container of {@code dtype}, made from the f32 master and kept if this dtype was never asked for,
     * encoding again if the master was evicted; null when the image is unknown. Reads no blob when it is stored.
     */
    public EmbeddingBlobs.Stored storedEmbedding(String id, Dtype dtype) throws IOException, EncodingFailedException {
        EmbeddingBlobs.Stored stored = blobs.stored(id, dtype);
        if (stored != null) {
            return stored;
        }
        stored = blobs.derive(id, dtype);
        if (stored != null) {
            return stored;
        }
        if (reencode(id) == null) {
            return null;
        }
        return dtype == Dtype.F32 ? blobs.stored(id, dtype) : blobs.derive(id, dtype);
    }

    /** The upright size of a stored image {width, height} from its embedding's metadata; null when unknown. */
    public int[] size(String id) throws IOException, EncodingFailedException {
        EmbeddingBlobs.Stored stored = storedEmbedding(id, Dtype.F32);
        return stored == null ? null : new int[] {stored.width(), stored.height()};
    }

    public String embeddingKey(String id) {
        return blobs.embeddingKey(id, Dtype.F32);
    }

    /** Encodes the stored original again (its embedding was evicted); null when the original is gone too. */
    private EmbeddingBlobs.Stored reencode(String id) throws IOException, EncodingFailedException {
        byte[] original = store.get(EmbeddingBlobs.imageKey(id));
        if (original == null) {
            return null;
        }
        EncoderInput input;
        try {
            input = decodeForEncoder(original);
        } catch (ImageRejectedException e) {
            throw new EncodingFailedException("the stored image " + id + " no longer decodes: " + e.getMessage(), e);
        }
        return producer.produce(id, original, input);
    }

    /**
     * The encoder's input, decoded (subsampled when the image is huge) and pre-processed while the decode's
     * memory is reserved: what waits in the encoder queue afterwards is only the fixed-size input tensor.
     */
    public EncoderInput decodeForEncoder(byte[] bytes) throws ImageRejectedException {
        long start = System.nanoTime();
        try {
            return decoder.decode(bytes, preprocessor.longestSide(), preprocessor.workingBytes(), preprocessor::prepare);
        } finally {
            decodeNanos.addAndGet(System.nanoTime() - start);
        }
    }

    /** Nanoseconds spent decoding and pre-processing images for the encoder (for /metrics). */
    public long decodeNanos() {
        return decodeNanos.get();
    }

    /** The encoder or the store failed on a valid image: the server's fault (500), not the client's. */
    public static final class EncodingFailedException extends Exception {
        public EncodingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

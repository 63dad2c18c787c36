package clickseg.server;

import clickseg.server.store.BlobStore;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one model's images and embeddings lie in a {@link BlobStore}, and the metadata stored beside each:
 * <ul>
 *   <li>"images/&lt;id&gt;": the uploaded bytes; metadata width, height;</li>
 *   <li>"embeddings/&lt;model&gt;/&lt;id&gt;": the f32 container, the master every other dtype is made from;</li>
 *   <li>"embeddings/&lt;model&gt;/&lt;dtype&gt;/&lt;id&gt;": the container in another served dtype, written at
 *       encode time for the default dtype and on first request for the others, then kept.</li>
 * </ul>
 * Every embedding blob carries width, height, resized-width, resized-height, model, dtype and sha256 (of the
 * blob's bytes: its ETag), so sizes and ETags never need the blob itself. The image id is the last key segment
 * of each, which is what share pins and eviction match on.
 */
public final class EmbeddingBlobs {
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String SHA256 = "sha256";

    private final BlobStore store;
    private final String modelId;

    /** What an embedding blob says about itself without being read. */
    public record Stored(String key, long size, String sha256, int width, int height) {
    }

    public EmbeddingBlobs(BlobStore store, String modelId) {
        this.store = store;
        this.modelId = modelId;
    }

    public BlobStore store() {
        return store;
    }

    public static String imageKey(String id) {
        return "images/" + id;
    }

    public String embeddingKey(String id, Dtype dtype) {
        return dtype == Dtype.F32 ? "embeddings/" + modelId + "/" + id
                : "embeddings/" + modelId + "/" + dtype.wireName() + "/" + id;
    }

    /** The stored container's description, or null when that dtype is not stored. */
    public Stored stored(String id, Dtype dtype) throws IOException {
        String key = embeddingKey(id, dtype);
        BlobStore.BlobInfo info = store.info(key);
        if (info == null) {
            return null;
        }
        if (info.get(SHA256) == null || info.get(WIDTH) == null) {
            // Stored before metadata existed: read it once and write it back with its metadata.
            byte[] bytes = store.get(key);
            if (bytes == null) {
                return null;
            }
            EmbeddingContainer container = EmbeddingCodec.decode(bytes);
            store.delete(key);
            store.put(key, bytes, metadata(container, dtype, bytes));
            return new Stored(key, bytes.length, Sha256.hex(bytes), container.originalWidth(), container.originalHeight());
        }
        return new Stored(key, info.size(), info.get(SHA256), Integer.parseInt(info.get(WIDTH)),
                Integer.parseInt(info.get(HEIGHT)));
    }

    /**
     * Writes the encoder's output: the f32 master, then the default dtype. The master last would leave a
     * default-dtype blob whose master is missing after a crash; this order leaves at most a master without it,
     * which the first request completes.
     */
    public void writeEncoded(String id, EmbeddingContainer f32, Dtype... alsoStored) throws IOException {
        byte[] master = EmbeddingCodec.encode(f32, Dtype.F32);
        store.put(embeddingKey(id, Dtype.F32), master, metadata(f32, Dtype.F32, master));
        for (Dtype dtype : alsoStored) {
            if (dtype != Dtype.F32) {
                byte[] bytes = EmbeddingCodec.encode(f32, dtype);
                store.put(embeddingKey(id, dtype), bytes, metadata(f32, dtype, bytes));
            }
        }
    }

    /**
     * Makes {@code dtype}'s container from the stored f32 master and keeps it; null when the master is not
     * stored.
     */
    public Stored derive(String id, Dtype dtype) throws IOException {
        byte[] master = store.get(embeddingKey(id, Dtype.F32));
        if (master == null) {
            return null;
        }
        EmbeddingContainer f32 = EmbeddingCodec.decode(master);
        byte[] bytes = EmbeddingCodec.encode(f32, dtype);
        String key = embeddingKey(id, dtype);
        store.put(key, bytes, metadata(f32, dtype, bytes));
        return new Stored(key, bytes.length, Sha256.hex(bytes), f32.originalWidth(), f32.originalHeight());
    }

    /** The uploaded bytes with the upright size as metadata. */
    public void writeImage(String id, byte[] original, int width, int height) throws IOException {
        store.put(imageKey(id), original, Map.of(WIDTH, Integer.toString(width), HEIGHT, Integer.toString(height)));
    }

    private Map<String, String> metadata(EmbeddingContainer container, Dtype dtype, byte[] bytes) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(WIDTH, Integer.toString(container.originalWidth()));
        meta.put(HEIGHT, Integer.toString(container.originalHeight()));
        meta.put("resized-width", Integer.toString(container.resizedWidth()));
        meta.put("resized-height", Integer.toString(container.resizedHeight()));
        meta.put("model", container.modelId());
        meta.put("dtype", dtype.wireName());
        meta.put(SHA256, Sha256.hex(bytes));
        return meta;
    }
}

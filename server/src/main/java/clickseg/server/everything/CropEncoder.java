package clickseg.server.everything;

import clickseg.everything.CropBox;
import clickseg.server.EncodingPool;
import clickseg.server.ImageLibrary;
import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.EncoderSession;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * Embeddings of image crops for SAM's crop layers: the stored original is decoded, cut to the crop,
 * pre-processed like any upload and encoded on the server's encoding pool (so crops queue with
 * uploads and respect the encoder's concurrency). Crop embeddings are not stored: the everything
 * result that needed them is cached instead.
 */
public final class CropEncoder {
    private final ImageLibrary library;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final EncoderSession encoder;
    private final EncodingPool pool;

    public CropEncoder(ImageLibrary library, ImageDecoder decoder, Preprocessor preprocessor, EncoderSession encoder,
                       EncodingPool pool) {
        this.library = library;
        this.decoder = decoder;
        this.preprocessor = preprocessor;
        this.encoder = encoder;
        this.pool = pool;
    }

    /** The decoded original (once per generation; crops are cut from it). */
    public DecodedImage decodeOriginal(String id) throws IOException {
        byte[] bytes = library.original(id);
        if (bytes == null) {
            throw new IOException("image " + id + " is no longer stored");
        }
        try {
            return decoder.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new IOException("the stored image " + id + " no longer decodes: " + e.getMessage(), e);
        }
    }

    /** (256, 64, 64) embedding of the crop of image. */
    public float[] embedding(String id, DecodedImage image, CropBox crop) throws IOException {
        byte[] rgb = new byte[crop.width() * crop.height() * 3]; // (h, w, 3)
        for (int y = 0; y < crop.height(); y++) {
            System.arraycopy(image.rgb(), ((crop.y0() + y) * image.width() + crop.x0()) * 3, rgb, y * crop.width() * 3,
                    crop.width() * 3);
        }
        DecodedImage cut = new DecodedImage(rgb, crop.width(), crop.height());
        String key = "crop/" + id + "/" + crop.x0() + "," + crop.y0() + "," + crop.x1() + "," + crop.y1();
        try {
            return pool.submit(key, () -> encoder.encode(preprocessor.prepare(cut))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while encoding a crop", e);
        } catch (ExecutionException e) {
            throw new IOException("encoding crop " + key + " failed: " + e.getCause(), e.getCause());
        }
    }
}

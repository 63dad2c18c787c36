package clickseg.web.worker;

/**
 * The mask decoder as the decoder worker sees it. The worker turns messages into these calls
 * and the answers back into messages; nothing here knows about the browser, so the same code
 * runs in a JVM test.
 */
public interface DecoderBackend {
    /** Side of a low-resolution mask. */
    int LOW_RES = 256;
    /** Masks per answer: 0 = single-mask token, 1-3 = multimask candidates. */
    int MASKS = 4;

    /**
     * The decoder's weights file (clickseg.wire.DecoderWeightsCodec format), fetched once by the
     * page from an immutable URL. Called before the first embedding.
     */
    void loadWeights(byte[] weightsFile);

    /**
     * One image's embedding container (clickseg.wire.EmbeddingCodec format). Everything that
     * does not depend on the prompt is computed here, once per image.
     */
    void loadEmbedding(byte[] container);

    /**
     * Decodes one prompt for the last loaded embedding.
     *
     * @param points          (n, 2) x, y in ORIGINAL image pixels
     * @param labels          (n) 1 foreground, 0 background
     * @param box             (4) x0, y0, x1, y1 in original pixels, or null
     * @param maskInput       (256, 256) previous low-res logits to refine, or null
     * @param lowResLogitsOut (4, 256, 256) written
     * @param iouOut          (4) predicted IoU per mask, written
     * @param stabilityOut    (4) stability score per mask (IoU of logits &gt; 1 and &gt; -1), written
     * @return the index the ONNX single-mask export would pick (best IoU of 1-3 for a lone point
     *     or box, else 0)
     */
    int decode(float[] points, int[] labels, float[] box, float[] maskInput,
               float[] lowResLogitsOut, float[] iouOut, float[] stabilityOut);
}

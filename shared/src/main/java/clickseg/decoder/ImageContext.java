package clickseg.decoder;

import clickseg.prompt.CoordinateTransform;

/**
 * Everything about one image that does not depend on the prompt, computed once by
 * {@link MaskDecoder#prepare}: the embedding as image tokens, and the first transformer block's
 * projections of the keys when there is no mask input (keys = embedding + no_mask_embed, so their
 * K and V for token→image attention and their Q for image→token attention are fixed per image).
 * Read-only after construction; one context may serve any number of clicks.
 */
public final class ImageContext {
    final float[] imageTokens;      // (N, C) the embedding, token-major
    final float[] layer0KeyProj;    // (N, I) (embedding + no_mask + pe)·Wk + bk of layer 0 token→image
    final float[] layer0ValueProj;  // (N, I) (embedding + no_mask)·Wv + bv of layer 0 token→image
    final float[] layer0QueryProj;  // (N, I) (embedding + no_mask + pe)·Wq + bq of layer 0 image→token
    private final CoordinateTransform transform;

    ImageContext(float[] imageTokens, float[] layer0KeyProj, float[] layer0ValueProj, float[] layer0QueryProj,
                 CoordinateTransform transform) {
        this.imageTokens = imageTokens;
        this.layer0KeyProj = layer0KeyProj;
        this.layer0ValueProj = layer0ValueProj;
        this.layer0QueryProj = layer0QueryProj;
        this.transform = transform;
    }

    /** How prompt coordinates in original pixels map into the model's 1024 frame. */
    public CoordinateTransform transform() {
        return transform;
    }
}

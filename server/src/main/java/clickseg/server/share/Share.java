package clickseg.server.share;

/**
 * One stored share: what the author saw, frozen. The delete secret is not here, only its hash, which the
 * store keeps and compares itself.
 *
 * @param id          random, URL-safe ({@link ShareTokens#isWellFormedId})
 * @param imageId     sha256 of the image's bytes, as in /api/images/{id}
 * @param modelId     the model whose decoder produced the mask
 * @param title       the author's title, as typed (escaped wherever it is shown), or null
 * @param promptsJson {"points":[[x,y],…],"labels":[…],"box":[x0,y0,x1,y1]|null,"maskIndex":int|null}, written
 *                    by the server from checked values (original image pixels)
 * @param imageWidth  the image's width after its EXIF orientation, which is also the mask's
 * @param imageHeight the image's height, also the mask's
 * @param maskCounts  the mask as a COCO compressed RLE counts string (column-major, pycocotools' alphabet)
 * @param createdAt   milliseconds since the epoch
 * @param objectsJson every object of the share, [{"id":n,"label":"…","prompts":{…},"mask":{"counts":"…"}},…],
 *                    written by the server from checked values; null for a share of one unlabelled object
 *                    (every share made before objects existed): promptsJson and maskCounts are then all there is
 */
public record Share(String id, String imageId, String modelId, String title, String promptsJson, int imageWidth,
                    int imageHeight, String maskCounts, long createdAt, String objectsJson) {

    /** A share of one unlabelled object. */
    public Share(String id, String imageId, String modelId, String title, String promptsJson, int imageWidth,
                 int imageHeight, String maskCounts, long createdAt) {
        this(id, imageId, modelId, title, promptsJson, imageWidth, imageHeight, maskCounts, createdAt, null);
    }
}

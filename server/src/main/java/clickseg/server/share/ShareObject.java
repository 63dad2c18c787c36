package clickseg.server.share;

import clickseg.prompt.PromptJson;
import clickseg.server.json.PromptFields;

/**
 * One labelled object of a POST /api/shares body's {@code objects}, checked field by field.
 *
 * @param id         the object's id in the author's page (a positive whole number, unique in the share)
 * @param label      the author's label, one line, possibly empty
 * @param prompt     points, labels and box in original image pixels (empty for a mask picked from everything)
 * @param maskIndex  which of the decoder's masks the author kept (0..3), or -1 when not said
 * @param maskSize   (2) height, width as the client says, or null; checked against the image by the caller
 * @param maskCounts the mask as COCO compressed RLE counts
 */
public record ShareObject(int id, String label, PromptFields prompt, int maskIndex, int[] maskSize, String maskCounts) {
    /** Most objects one share holds; a share is a picture someone labelled, not a dataset. */
    public static final int MAX_OBJECTS = 100;
    /** Longest label in characters. */
    public static final int MAX_LABEL_CHARS = 100;

    /** The prompt as stored, as {@link ShareRequest#promptsJson()} writes the top-level one. */
    public String promptsJson() {
        String text = PromptJson.write(prompt.toPrompt());
        return text.substring(0, text.length() - 1) + ",\"maskIndex\":" + (maskIndex < 0 ? "null" : maskIndex) + "}";
    }
}

package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.web.session.ObjectSnapshot;
import java.util.List;
import clickseg.prompt.Prompt;

/**
 * A share as the page uses it: the author's image, prompt and mask, read once from
 * GET /api/shares/{id}. The mask is the stored one (decoded from its RLE), never recomputed,
 * so the viewer sees exactly what the author saw.
 */
final class SharedSegmentation {
    final String id;
    final String imageId;
    final String title; // or null
    final int width;
    final int height;
    final Prompt prompt; // original image pixels
    final BinaryMask mask; // (height, width)
    final String imageUrl;
    final List<ObjectSnapshot> objects; // every object with its label, in the author's order

    SharedSegmentation(String id, String imageId, String title, int width, int height, Prompt prompt,
                       BinaryMask mask, String imageUrl, List<ObjectSnapshot> objects) {
        this.objects = objects;
        this.id = id;
        this.imageId = imageId;
        this.title = title;
        this.width = width;
        this.height = height;
        this.prompt = prompt;
        this.mask = mask;
        this.imageUrl = imageUrl;
    }
}

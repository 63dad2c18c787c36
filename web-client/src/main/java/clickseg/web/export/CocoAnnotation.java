package clickseg.web.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;

/**
 * A COCO-style annotation of one mask, with the segmentation as pycocotools' compressed RLE:
 * {@code {"image_id":"…","segmentation":{"size":[h,w],"counts":"…"},"area":…,"bbox":[x,y,w,h]}}.
 */
public final class CocoAnnotation {
    private CocoAnnotation() {
    }

    public static String json(BinaryMask mask, String imageId) {
        int[] box = mask.boundingBox();
        StringBuilder json = new StringBuilder();
        json.append("{\"image_id\":\"").append(escaped(imageId)).append("\",");
        json.append("\"segmentation\":{\"size\":[").append(mask.height()).append(',').append(mask.width())
                .append("],\"counts\":\"").append(escaped(RunLengthEncoding.encode(mask))).append("\"},");
        json.append("\"area\":").append(mask.area()).append(',');
        json.append("\"bbox\":[").append(box[0]).append(',').append(box[1]).append(',')
                .append(box[2]).append(',').append(box[3]).append("]}");
        return json.toString();
    }

    /** JSON string content: quotes and backslashes escaped, control characters dropped to spaces. */
    private static String escaped(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package clickseg.server.everything;

import clickseg.everything.GeneratedMask;
import clickseg.mask.RunLengthEncoding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instance-annotation file of everything results: images numbered 1.. in request order,
 * annotations numbered 1.. across all images, one category "object", segmentations as compressed
 * RLE ({size: [height, width], counts}) with iscrowd 0 as in SA-1B, plus SAM's predicted_iou and
 * stability_score per annotation. Loads with pycocotools' COCO().
 */
final class CocoExport {
    /** One image of the export. */
    record Entry(String fileName, EverythingResult result) {
    }

    private CocoExport() {
    }

    static Map<String, Object> of(List<Entry> entries) {
        List<Object> images = new ArrayList<>();
        List<Object> annotations = new ArrayList<>();
        int imageId = 0;
        int annotationId = 0;
        for (Entry entry : entries) {
            imageId++;
            EverythingResult r = entry.result();
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("id", imageId);
            image.put("file_name", entry.fileName());
            image.put("width", r.width());
            image.put("height", r.height());
            image.put("sha256", r.imageId());
            images.add(image);
            for (GeneratedMask m : r.masks()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", ++annotationId);
                a.put("image_id", imageId);
                a.put("category_id", 1);
                a.put("segmentation", segmentation(m, r.width(), r.height()));
                a.put("area", m.area());
                a.put("bbox", m.box());
                a.put("iscrowd", 0);
                a.put("predicted_iou", m.predictedIou());
                a.put("stability_score", m.stability());
                annotations.add(a);
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("description", "clickseg automatic masks (Segment Anything's automatic mask generation)");
        info.put("date_created", Instant.now().toString());
        Map<String, Object> category = new LinkedHashMap<>();
        category.put("id", 1);
        category.put("name", "object");
        category.put("supercategory", "object");
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("info", info);
        file.put("images", images);
        file.put("annotations", annotations);
        file.put("categories", List.of(category));
        return file;
    }

    /** COCO compressed RLE: size is [height, width]. */
    static Map<String, Object> segmentation(GeneratedMask m, int width, int height) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("size", new int[] {height, width});
        s.put("counts", RunLengthEncoding.encode(m.counts()));
        return s;
    }
}

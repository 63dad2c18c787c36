package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import java.util.ArrayList;
import java.util.List;

/**
 * A COCO instances file (the format of instances_*.json, read by pycocotools' COCO(), detectron2, MMDetection,
 * CVAT, Label Studio) of labelled objects over one or more images:
 *
 * <pre>
 * {"info": {...}, "images": [{"id": 1, "file_name": "a.jpg", "width": 640, "height": 480}],
 *  "categories": [{"id": 1, "name": "dog", "supercategory": "object"}],
 *  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "iscrowd": 0, "area": 5120,
 *                   "bbox": [x, y, w, h], "segmentation": [[x1, y1, x2, y2, …]], "object_id": 7}]}
 * </pre>
 * Images are numbered 1.. in the given order, annotations 1.. across all images, categories 1.. by
 * {@link Categories}. {@code area} is the mask's pixel count and {@code bbox} its pixel bounding box (pixel
 * units, [x, y, width, height]); {@code object_id} keeps the object's own id. Objects with an empty mask are
 * left out (readers reject empty segmentations).
 *
 * <p>Polygon coordinates follow {@link MaskOutline}'s convention (pixel (x, y) spans [x, x + 1)), rounded to
 * 1/100 pixel. COCO polygons cannot have holes; a part's holes are joined into it by {@link RingJoin}'s
 * zero-width bridges, which every even–odd rasteriser (pycocotools included) fills as holes.
 */
public final class CocoInstances {
    private static final int COORDINATE_PLACES = 2;

    private CocoInstances() {
    }

    /** @param tolerance polygon simplification in pixels ({@link MaskOutline}); unused for RLE */
    public static String json(List<ExportImage> images, CocoSegmentation segmentation, double tolerance) {
        Categories categories = new Categories(images);
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"info\":{\"description\":\"clickseg export\",\"version\":\"1.0\"},\n\"licenses\":[],\n\"images\":[");
        for (int i = 0; i < images.size(); i++) {
            ExportImage image = images.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("{\"id\":").append(i + 1).append(",\"file_name\":");
            MarkupText.appendJsonString(json, image.fileName());
            json.append(",\"width\":").append(image.width()).append(",\"height\":").append(image.height()).append('}');
        }
        json.append("],\n\"categories\":[");
        List<String> names = categories.names();
        for (int c = 0; c < names.size(); c++) {
            json.append(c == 0 ? "\n" : ",\n").append("{\"id\":").append(c + 1).append(",\"name\":");
            MarkupText.appendJsonString(json, names.get(c));
            json.append(",\"supercategory\":\"object\"}");
        }
        json.append("],\n\"annotations\":[");
        int annotationId = 0;
        for (int i = 0; i < images.size(); i++) {
            for (ExportObject object : images.get(i).objects()) {
                BinaryMask mask = object.mask();
                long area = mask.area();
                if (area == 0) {
                    continue;
                }
                annotationId++;
                json.append(annotationId == 1 ? "\n" : ",\n");
                annotation(json, annotationId, i + 1, categories.cocoId(object.label()), object, mask, area,
                        segmentation, tolerance);
            }
        }
        json.append("]}\n");
        return json.toString();
    }

    private static void annotation(StringBuilder json, int id, int imageId, int categoryId, ExportObject object,
                                   BinaryMask mask, long area, CocoSegmentation segmentation, double tolerance) {
        int[] box = mask.boundingBox();
        json.append("{\"id\":").append(id).append(",\"image_id\":").append(imageId)
                .append(",\"category_id\":").append(categoryId)
                .append(",\"iscrowd\":").append(segmentation == CocoSegmentation.RLE ? 1 : 0)
                .append(",\"area\":").append(area)
                .append(",\"bbox\":[").append(box[0]).append(',').append(box[1]).append(',').append(box[2])
                .append(',').append(box[3]).append("],\"segmentation\":");
        if (segmentation == CocoSegmentation.RLE) {
            json.append("{\"size\":[").append(mask.height()).append(',').append(mask.width()).append("],\"counts\":");
            MarkupText.appendJsonString(json, RunLengthEncoding.encode(object.rleCounts()));
            json.append('}');
        } else {
            appendPolygons(json, polygons(mask, tolerance));
        }
        json.append(",\"object_id\":").append(object.id()).append('}');
    }

    /**
     * COCO polygons of a mask: one per separate part, its holes bridged in ({@link RingJoin}), simplified at the
     * tolerance ({@link MaskOutline#rings}); empty for an empty mask.
     */
    public static List<float[]> polygons(BinaryMask mask, double tolerance) {
        List<float[]> polygons = new ArrayList<>();
        for (List<float[]> part : RingJoin.parts(MaskOutline.rings(mask, tolerance))) {
            polygons.add(RingJoin.join(part));
        }
        return polygons;
    }

    /** {@code [[x1, y1, …], …]}. */
    private static void appendPolygons(StringBuilder json, List<float[]> polygons) {
        json.append('[');
        for (int p = 0; p < polygons.size(); p++) {
            float[] polygon = polygons.get(p);
            json.append(p == 0 ? "[" : ",[");
            for (int k = 0; k < polygon.length; k++) {
                if (k > 0) {
                    json.append(',');
                }
                Decimals.append(json, polygon[k], COORDINATE_PLACES);
            }
            json.append(']');
        }
        json.append(']');
    }
}

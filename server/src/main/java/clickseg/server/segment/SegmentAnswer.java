package clickseg.server.segment;

import clickseg.export.CocoInstances;
import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPng;
import clickseg.mask.MaskPolygon;
import clickseg.mask.MaskUpsampler;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.CoordinateTransform;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a segment answer: per mask its result id, decoder token index, predicted IoU, stability
 * score, area and COCO bbox [x, y, width, height] of the full-size mask, and the mask itself in the
 * requested {@link MaskFormat}. Area, bbox, RLE and PNG all come from the same full-size binary mask
 * (SAM's post-processing in {@link MaskUpsampler}); the polygon is traced on the logits' 0-level line,
 * which is the outline of that same mask up to sub-pixel placement; the COCO polygons are traced on the
 * full-size mask itself and simplified as the exports do.
 */
final class SegmentAnswer {
    /** Polygon coordinates are rounded to 1/100 pixel: finer than any display, and a third of the digits. */
    private static final double POLYGON_STEP = 100.0;

    private SegmentAnswer() {
    }

    static Map<String, Object> body(String imageId, SegmentRequest request, SegmentService.Outcome outcome) {
        MaskFormat format = request.format();
        CoordinateTransform transform = outcome.transform();
        int width = transform.originalWidth();
        int height = transform.originalHeight();
        MaskUpsampler upsampler = new MaskUpsampler(transform);
        float[] fullSize = new float[width * height]; // (height, width) logits, reused across masks
        List<Map<String, Object>> masks = new ArrayList<>();
        for (SegmentService.ChosenMask chosen : outcome.masks()) {
            BinaryMask mask = new BinaryMask(width, height);
            upsampler.toMask(chosen.logits(), 0, fullSize, mask);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", chosen.id());
            entry.put("index", chosen.index());
            entry.put("iou", chosen.iou());
            entry.put("stability", chosen.stability());
            entry.put("area", mask.area());
            entry.put("bbox", mask.boundingBox());
            switch (format) {
                case RLE -> entry.put("rle", Map.of("size", new int[] {height, width},
                        "counts", RunLengthEncoding.encode(mask)));
                case PNG -> entry.put("png", Base64.getEncoder().encodeToString(MaskPng.encode(mask)));
                case POLYGON -> entry.put("polygon", rings(chosen.logits(), transform));
                case COCO_POLYGON -> entry.put("segmentation", cocoPolygons(mask, request.tolerance()));
            }
            masks.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image", imageId);
        body.put("width", width);
        body.put("height", height);
        body.put("format", format.wireName());
        if (format == MaskFormat.COCO_POLYGON) {
            body.put("tolerance", request.tolerance());
        }
        body.put("masks", masks);
        return body;
    }

    /** COCO's {@code [[x1, y1, …], …]} as the exports write it, to 1/100 pixel. */
    private static List<double[]> cocoPolygons(BinaryMask mask, double tolerance) {
        List<double[]> polygons = new ArrayList<>();
        for (float[] polygon : CocoInstances.polygons(mask, tolerance)) {
            double[] xy = new double[polygon.length];
            for (int i = 0; i < polygon.length; i++) {
                xy[i] = Math.round(polygon[i] * POLYGON_STEP) / POLYGON_STEP;
            }
            polygons.add(xy);
        }
        return polygons;
    }

    /** Outer rings wind with positive signed area in y-down pixels, holes with negative: say which is which. */
    private static List<Map<String, Object>> rings(float[] logits, CoordinateTransform transform) {
        List<Map<String, Object>> rings = new ArrayList<>();
        for (float[] ring : MaskPolygon.trace(logits, 0, transform)) {
            double[] points = new double[ring.length]; // (n, 2) x, y in original pixels
            for (int i = 0; i < ring.length; i++) {
                points[i] = Math.round(ring[i] * POLYGON_STEP) / POLYGON_STEP;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("hole", MaskPolygon.signedArea(ring) < 0);
            entry.put("points", points);
            rings.add(entry);
        }
        return rings;
    }
}

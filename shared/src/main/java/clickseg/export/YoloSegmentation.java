package clickseg.export;

import clickseg.mask.BinaryMask;
import java.util.List;

/**
 * YOLO segmentation labels as Ultralytics reads them: one {@code labels/<image stem>.txt} per image, one line
 * per object — the class index, then the polygon's vertices normalised by the image size (x / width,
 * y / height, 6 decimals, clamped to [0, 1]) — plus {@code classes.txt} (one name per line, line n = class
 * n) and {@code data.yaml} ({@code names}, for {@code yolo train data=data.yaml} once the images sit in
 * {@code images/} beside {@code labels/}).
 *
 * <p>Objects with holes or several parts: Ultralytics reads one polygon per line and one line is one
 * instance, so all of an object's rings are joined into one polygon with zero-width bridges ({@link RingJoin}),
 * as Ultralytics' own COCO converter joins multi-part segments (merge_multi_segment). The object stays one
 * instance with its true class and box, and its mask, which Ultralytics rasterises with OpenCV's even–odd
 * fillPoly, keeps its holes. (One line per outer ring would split one object into several instances and lose
 * the holes.) Objects with an empty mask get no line.
 */
public final class YoloSegmentation {
    private static final int PLACES = 6;

    private YoloSegmentation() {
    }

    /** The label file of one image: a line per object, "class x1 y1 x2 y2 …\n". */
    public static String labelFile(ExportImage image, Categories categories, double tolerance) {
        StringBuilder text = new StringBuilder(1024);
        for (ExportObject object : image.objects()) {
            BinaryMask mask = object.mask();
            List<float[]> rings = MaskOutline.rings(mask, tolerance);
            if (rings.isEmpty()) {
                continue;
            }
            float[] polygon = RingJoin.join(ordered(rings));
            text.append(categories.yoloIndex(object.label()));
            for (int k = 0; k < polygon.length; k += 2) {
                text.append(' ');
                Decimals.append(text, clamp(polygon[k] / image.width()), PLACES);
                text.append(' ');
                Decimals.append(text, clamp(polygon[k + 1] / image.height()), PLACES);
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Outer rings with their holes, part by part, so bridges stay short. */
    private static List<float[]> ordered(List<float[]> rings) {
        List<float[]> out = new java.util.ArrayList<>();
        for (List<float[]> part : RingJoin.parts(rings)) {
            out.addAll(part);
        }
        return out;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** One class name per line, in class-index order. */
    public static String classesTxt(Categories categories) {
        StringBuilder text = new StringBuilder();
        for (String name : categories.names()) {
            text.append(name.replace('\n', ' ').replace('\r', ' ')).append('\n');
        }
        return text.toString();
    }

    /** An Ultralytics dataset file: path, train/val folders and {@code names} (index: "name"). */
    public static String dataYaml(Categories categories) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# YOLO segmentation labels exported by clickseg: put the images in images/ beside labels/\n");
        yaml.append("path: .\ntrain: images\nval: images\n");
        yaml.append("nc: ").append(categories.size()).append('\n');
        yaml.append("names:\n");
        List<String> names = categories.names();
        for (int i = 0; i < names.size(); i++) {
            yaml.append("  ").append(i).append(": ");
            MarkupText.appendJsonString(yaml, names.get(i)); // a YAML double-quoted scalar
            yaml.append('\n');
        }
        return yaml.toString();
    }

    /**
     * Adds labels/&lt;stem&gt;.txt for every image (stems by {@link FileNames#stems}), classes.txt and data.yaml
     * to a zip; the caller may add the images themselves under images/.
     */
    public static void addTo(ZipWriter zip, List<ExportImage> images, double tolerance) {
        Categories categories = new Categories(images);
        List<String> stems = FileNames.stems(images);
        for (int i = 0; i < images.size(); i++) {
            zip.add("labels/" + stems.get(i) + ".txt", labelFile(images.get(i), categories, tolerance));
        }
        zip.add("classes.txt", classesTxt(categories));
        zip.add("data.yaml", dataYaml(categories));
    }

    /** The labels, classes.txt and data.yaml as one zip. */
    public static byte[] zip(List<ExportImage> images, double tolerance) {
        ZipWriter zip = new ZipWriter();
        addTo(zip, images, tolerance);
        return zip.finish();
    }
}

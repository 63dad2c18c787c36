package clickseg.web.js;

import clickseg.export.CocoInstances;
import clickseg.export.CocoSegmentation;
import clickseg.export.ExportImage;
import clickseg.export.FileNames;
import clickseg.export.MaskArchive;
import clickseg.export.ObjectsSvg;
import clickseg.export.YoloSegmentation;
import clickseg.export.ZipWriter;
import java.util.List;
import clickseg.export.ExportObject;
import clickseg.web.session.ObjectPalette;
import clickseg.web.session.ObjectSnapshot;
import java.util.ArrayList;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The Export dialog: every object of the image (or of every open image) as COCO instances (polygons or
 * RLE), a YOLO segmentation folder (zip), PNG masks (zip: label map, masks, cut-outs) or SVG, with the
 * polygon tolerance on a slider. The files are written by shared's {@code clickseg.export} (the same code
 * as the server's export routes) and downloaded through Blob URLs: the page's policy allows no inline
 * script or eval, and needs none.
 */
final class ExportDialog {
    private final JSObject dialog = Browser.byId("export-dialog");
    private final JSObject tolerance = Browser.byId("export-tolerance");
    private final JSObject toleranceValue = Browser.byId("export-tolerance-value");
    private final JSObject allImages = Browser.byId("export-all-images");
    private final JSObject status = Browser.byId("export-status");
    private final JSObject summary = Browser.byId("export-summary");
    /** The images to export: (every open image, or the one on screen; with pixels for cut-outs). */
    private final java.util.function.BiFunction<Boolean, Boolean, List<ExportImage>> images;
    private final java.util.function.IntSupplier openImageCount;
    private String baseName = "objects";

    ExportDialog(java.util.function.BiFunction<Boolean, Boolean, List<ExportImage>> images,
                 java.util.function.IntSupplier openImageCount) {
        this.images = images;
        this.openImageCount = openImageCount;
        Browser.listen(Browser.byId("export-close"), "click", event -> close());
        Browser.listen(Browser.byId("export-download"), "click", event -> download());
        Browser.listen(tolerance, "input", event -> showTolerance());
        Browser.listen(dialog, "keydown", event -> {
            if ("Escape".equals(Browser.string(event, "key"))) {
                close();
            }
        });
    }

    void open(String fileBase, int objectCount) {
        baseName = fileBase;
        int open = openImageCount.getAsInt();
        Browser.setText(summary, objectCount + (objectCount == 1 ? " object" : " objects") + " on this image"
                + (open > 1 ? ", " + open + " images open" : "") + ".");
        Browser.setText(Browser.byId("export-image-count"), "(" + open + ")");
        Browser.setDisabled(allImages, open < 2);
        if (open < 2) {
            Browser.putBoolean(allImages, "checked", false);
        }
        Browser.setText(status, "");
        showTolerance();
        Browser.setHidden(dialog, false);
        Browser.focus(Browser.byId("export-download"));
    }

    private void close() {
        Browser.setHidden(dialog, true);
    }

    private double tolerance() {
        double value = Double.parseDouble(Browser.value(tolerance));
        return Double.isNaN(value) ? 1 : value;
    }

    private void showTolerance() {
        Browser.setText(toleranceValue, pixels(tolerance()) + " px");
    }

    /** "1", "0.25", "2.5": the slider's steps without trailing zeros. */
    private static String pixels(double value) {
        long hundredths = Math.round(value * 100);
        String whole = String.valueOf(hundredths / 100);
        long rest = hundredths % 100;
        if (rest == 0) {
            return whole;
        }
        return whole + "." + (rest % 10 == 0 ? String.valueOf(rest / 10) : (rest < 10 ? "0" + rest : String.valueOf(rest)));
    }

    private void download() {
        String format = Browser.checkedValue("export-format");
        boolean all = Browser.flag(allImages, "checked");
        List<ExportImage> chosen = images.apply(all, "png-zip".equals(format));
        if (chosen.isEmpty()) {
            Browser.setText(status, "Nothing to export yet: outline an object first.");
            return;
        }
        String name = all ? "clickseg-export" : baseName;
        double tol = tolerance();
        try {
            switch (format == null ? "coco-polygon" : format) {
                case "coco-rle":
                    text(CocoInstances.json(chosen, CocoSegmentation.RLE, tol), "application/json", name + ".coco.json");
                    break;
                case "yolo":
                    bytes(YoloSegmentation.zip(chosen, tol), name + "-yolo.zip");
                    break;
                case "png-zip":
                    bytes(MaskArchive.zip(chosen), name + "-masks.zip");
                    break;
                case "svg":
                    if (chosen.size() == 1) {
                        text(ObjectsSvg.document(chosen.get(0), tol), "image/svg+xml", name + ".svg");
                    } else {
                        ZipWriter zip = new ZipWriter();
                        List<String> stems = FileNames.stems(chosen);
                        for (int i = 0; i < chosen.size(); i++) {
                            zip.add(stems.get(i) + ".svg", ObjectsSvg.document(chosen.get(i), tol));
                        }
                        bytes(zip.finish(), name + "-svg.zip");
                    }
                    break;
                default:
                    text(CocoInstances.json(chosen, CocoSegmentation.POLYGON, tol), "application/json",
                            name + ".coco.json");
                    break;
            }
            Browser.setText(status, "Downloaded.");
        } catch (RuntimeException failed) {
            Browser.logError("export: " + failed.getMessage());
            Browser.setText(status, "The export failed: " + failed.getMessage());
        }
    }

    /** The objects as the exports take them: id, label, the page's colour, mask. */
    static List<ExportObject> objectsOf(List<ObjectSnapshot> objects) {
        List<ExportObject> out = new ArrayList<>(objects.size());
        for (ObjectSnapshot object : objects) {
            out.add(ExportObject.ofMask(object.id(), object.label(), ObjectPalette.rgb(object.id() - 1), object.mask()));
        }
        return out;
    }

    /** The image's pixels as (height, width) 0xAARRGGBB, read through a canvas. */
    static int[] pixelsOf(JSObject image, int width, int height) {
        JSObject canvas = Browser.createCanvas(width, height);
        JSObject context = Browser.context2d(canvas);
        Browser.drawImage(context, image, 0, 0, width, height);
        byte[] rgba = Browser.readRgba(context, width, height).copyToJavaArray();
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = ((rgba[4 * i + 3] & 0xff) << 24) | ((rgba[4 * i] & 0xff) << 16) | ((rgba[4 * i + 1] & 0xff) << 8)
                    | (rgba[4 * i + 2] & 0xff);
        }
        return argb;
    }

    private static void text(String content, String type, String fileName) {
        Browser.download(Browser.textBlob(content, type), fileName);
    }

    private static void bytes(byte[] content, String fileName) {
        Browser.download(Browser.bytesBlob(Int8Array.copyFromJavaArray(content), "application/zip"), fileName);
    }
}

package clickseg.web.js;

import clickseg.export.CocoInstances;
import clickseg.export.CocoSegmentation;
import clickseg.export.ExportImage;
import clickseg.export.ExportObject;
import clickseg.export.ObjectColours;
import clickseg.export.ObjectsSvg;
import clickseg.mask.BinaryMask;
import java.util.List;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The four downloads of a mask at the image's own resolution: a black-and-white PNG, a cut-out
 * PNG (the object on a transparent background, cropped to its bounding box), a COCO instances file
 * with the mask as compressed RLE (clickseg.export.CocoInstances) and an SVG of the outline polygons. The PNGs go through a canvas, whose native
 * encoder is far faster than deflating in Java; the mask's 0/255 values survive it exactly.
 */
final class MaskExports {
    private MaskExports() {
    }

    static void maskPng(BinaryMask mask, String baseName) {
        int w = mask.width();
        int h = mask.height();
        byte[] rgba = new byte[w * h * 4];
        byte[] in = mask.pixels();
        for (int i = 0; i < w * h; i++) {
            byte v = in[i] != 0 ? (byte) 255 : 0;
            rgba[4 * i] = v;
            rgba[4 * i + 1] = v;
            rgba[4 * i + 2] = v;
            rgba[4 * i + 3] = (byte) 255;
        }
        JSObject canvas = Browser.createCanvas(w, h);
        Browser.putRgba(Browser.context2d(canvas), Int8Array.copyFromJavaArray(rgba), w, h);
        Browser.toPngBlob(canvas, blob -> Browser.download(blob, baseName + "-mask.png"));
    }

    static void cutoutPng(BinaryMask mask, JSObject image, String baseName) {
        int[] box = mask.boundingBox(); // x, y, width, height
        int bx = box[0];
        int by = box[1];
        int bw = box[2];
        int bh = box[3];
        int width = mask.width();
        JSObject canvas = Browser.createCanvas(bw, bh);
        JSObject context = Browser.context2d(canvas);
        Browser.drawImage(context, image, -bx, -by, width, mask.height());
        byte[] rgba = Browser.readRgba(context, bw, bh).copyToJavaArray();
        byte[] in = mask.pixels();
        for (int y = 0; y < bh; y++) {
            int row = (by + y) * width + bx;
            for (int x = 0; x < bw; x++) {
                if (in[row + x] == 0) {
                    rgba[4 * (y * bw + x) + 3] = 0;
                }
            }
        }
        Browser.putRgba(context, Int8Array.copyFromJavaArray(rgba), bw, bh);
        Browser.toPngBlob(canvas, blob -> Browser.download(blob, baseName + "-cutout.png"));
    }

    static void cocoRle(BinaryMask mask, String baseName) {
        ExportImage image = new ExportImage(baseName, mask.width(), mask.height(),
                List.of(ExportObject.ofMask(1, "object", ObjectColours.forIndex(0), mask)));
        String json = CocoInstances.json(List.of(image), CocoSegmentation.RLE, 0);
        Browser.download(Browser.textBlob(json, "application/json"), baseName + "-mask.rle.json");
    }

    static void svgOutline(List<float[]> rings, int width, int height, String baseName) {
        Browser.download(Browser.textBlob(ObjectsSvg.outline(rings, width, height), "image/svg+xml"),
                baseName + "-outline.svg");
    }
}

package clickseg.web.js;

import clickseg.web.export.CocoRunLength;
import clickseg.web.export.SvgOutline;
import clickseg.web.render.MaskOutline;
import clickseg.web.render.MaskRaster;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The four downloads of a mask at the image's own resolution: a black-and-white PNG, a cut-out
 * PNG (the object on a transparent background, cropped to its bounding box), a COCO RLE JSON
 * annotation and an SVG outline.
 */
final class MaskExports {
    private MaskExports() {
    }

    static void maskPng(MaskRaster mask, String baseName) {
        int w = mask.width;
        int h = mask.height;
        byte[] rgba = new byte[w * h * 4];
        byte[] in = mask.inside;
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

    static void cutoutPng(MaskRaster mask, JSObject image, String baseName) {
        int bx = mask.boxX();
        int by = mask.boxY();
        int bw = mask.boxWidth();
        int bh = mask.boxHeight();
        JSObject canvas = Browser.createCanvas(bw, bh);
        JSObject context = Browser.context2d(canvas);
        Browser.drawImage(context, image, -bx, -by, mask.width, mask.height);
        byte[] rgba = Browser.readRgba(context, bw, bh).copyToJavaArray();
        byte[] in = mask.inside;
        for (int y = 0; y < bh; y++) {
            int row = (by + y) * mask.width + bx;
            for (int x = 0; x < bw; x++) {
                if (in[row + x] == 0) {
                    rgba[4 * (y * bw + x) + 3] = 0;
                }
            }
        }
        Browser.putRgba(context, Int8Array.copyFromJavaArray(rgba), bw, bh);
        Browser.toPngBlob(canvas, blob -> Browser.download(blob, baseName + "-cutout.png"));
    }

    static void cocoRle(MaskRaster mask, String imageId, String baseName) {
        String json = CocoRunLength.annotationJson(mask, imageId);
        Browser.download(Browser.textBlob(json + "\n", "application/json"), baseName + "-mask.rle.json");
    }

    static void svgOutline(MaskRaster mask, String baseName) {
        MaskOutline outline = new MaskOutline();
        outline.trace(mask);
        Browser.download(Browser.textBlob(SvgOutline.document(mask, outline), "image/svg+xml"),
                baseName + "-outline.svg");
    }
}

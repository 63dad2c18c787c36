package clickseg.web.export;

import clickseg.web.render.MaskOutline;
import clickseg.web.render.MaskRaster;

/**
 * An SVG document with the mask's outline as one path of pixel-edge segments, in the
 * original image's pixel coordinates (viewBox = image size), so it overlays the image 1:1.
 */
public final class SvgOutline {
    private SvgOutline() {
    }

    public static String document(MaskRaster mask, MaskOutline outline) {
        int[] s = outline.segments();
        int n = outline.segmentCount();
        StringBuilder svg = new StringBuilder(64 + n * 16);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(mask.width)
                .append("\" height=\"").append(mask.height).append("\" viewBox=\"0 0 ")
                .append(mask.width).append(' ').append(mask.height).append("\">\n");
        svg.append("<path fill=\"none\" stroke=\"#1e90ff\" stroke-width=\"2\" stroke-linecap=\"square\" ")
                .append("vector-effect=\"non-scaling-stroke\" d=\"");
        for (int i = 0; i < n; i++) {
            int x0 = s[i * 4];
            int y0 = s[i * 4 + 1];
            int x1 = s[i * 4 + 2];
            int y1 = s[i * 4 + 3];
            svg.append('M').append(x0).append(' ').append(y0);
            if (y0 == y1) {
                svg.append('H').append(x1);
            } else {
                svg.append('V').append(y1);
            }
        }
        svg.append("\"/>\n</svg>\n");
        return svg.toString();
    }
}

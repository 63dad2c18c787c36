package clickseg.web.export;

import java.util.List;

/**
 * An SVG document of a mask's outline rings (clickseg.mask.MaskPolygon) in the original image's
 * pixel coordinates (viewBox = image size), so it overlays the image 1:1: one path, filled with
 * the even-odd rule so holes stay holes, coordinates to a hundredth of a pixel.
 */
public final class PolygonSvg {
    private PolygonSvg() {
    }

    /** @param rings closed rings of x0, y0, x1, y1, … in original pixels */
    public static String document(List<float[]> rings, int width, int height) {
        StringBuilder svg = new StringBuilder(256);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\">\n");
        svg.append("<path fill=\"#1e90ff\" fill-opacity=\"0.5\" fill-rule=\"evenodd\" stroke=\"#1e90ff\" ")
                .append("stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" d=\"");
        for (float[] ring : rings) {
            for (int i = 0; i < ring.length; i += 2) {
                svg.append(i == 0 ? 'M' : 'L');
                appendHundredths(svg, ring[i]);
                svg.append(' ');
                appendHundredths(svg, ring[i + 1]);
            }
            svg.append('Z');
        }
        svg.append("\"/>\n</svg>\n");
        return svg.toString();
    }

    /** Plain decimal (never exponent notation), rounded to two places, trailing zeros dropped. */
    static void appendHundredths(StringBuilder out, float value) {
        long hundredths = Math.round(value * 100.0);
        if (hundredths < 0) {
            out.append('-');
            hundredths = -hundredths;
        }
        out.append(hundredths / 100);
        int fraction = (int) (hundredths % 100);
        if (fraction != 0) {
            out.append('.').append(fraction / 10);
            if (fraction % 10 != 0) {
                out.append(fraction % 10);
            }
        }
    }
}

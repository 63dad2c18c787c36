package clickseg.export;

import java.util.List;

/**
 * SVG of outlines in the image's pixel coordinates (viewBox = image size), so it overlays the image 1:1.
 * {@link #document(ExportImage, double)} draws one {@code <path>} per object in its colour, filled with the
 * even–odd rule so holes stay holes, with the label as its {@code <title>} (what viewers show on hover);
 * coordinates to 1/100 pixel. Labels and ids are XML-escaped.
 */
public final class ObjectsSvg {
    private static final int PLACES = 2;

    private ObjectsSvg() {
    }

    /** One path per object with a non-empty mask, in object order (later objects drawn on top). */
    public static String document(ExportImage image, double tolerance) {
        StringBuilder svg = header(image.width(), image.height());
        for (ExportObject object : image.objects()) {
            List<float[]> rings = MaskOutline.rings(object.mask(), tolerance);
            if (rings.isEmpty()) {
                continue;
            }
            String colour = ObjectColours.hex(object.rgb());
            svg.append("<path data-object-id=\"").append(object.id()).append("\" fill=\"").append(colour)
                    .append("\" fill-opacity=\"0.5\" fill-rule=\"evenodd\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" d=\"");
            appendPath(svg, rings);
            svg.append("\"><title>");
            MarkupText.appendXml(svg, Categories.name(object.label()));
            svg.append("</title></path>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** One mask's rings as one path in the page's blue: the single-mask outline download. */
    public static String outline(List<float[]> rings, int width, int height) {
        StringBuilder svg = header(width, height);
        svg.append("<path fill=\"#1e90ff\" fill-opacity=\"0.5\" fill-rule=\"evenodd\" stroke=\"#1e90ff\" ")
                .append("stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" d=\"");
        appendPath(svg, rings);
        return svg.append("\"/>\n</svg>\n").toString();
    }

    private static StringBuilder header(int width, int height) {
        StringBuilder svg = new StringBuilder(1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\">\n");
        return svg;
    }

    /** "M x y L x y … Z" per ring. */
    static void appendPath(StringBuilder svg, List<float[]> rings) {
        for (float[] ring : rings) {
            for (int i = 0; i < ring.length; i += 2) {
                svg.append(i == 0 ? 'M' : 'L');
                Decimals.append(svg, ring[i], PLACES);
                svg.append(' ');
                Decimals.append(svg, ring[i + 1], PLACES);
            }
            svg.append('Z');
        }
    }
}

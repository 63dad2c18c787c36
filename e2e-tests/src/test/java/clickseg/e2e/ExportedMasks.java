package clickseg.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Reads the page's exports back into (height, width) row-major boolean masks, independently of
 * the app's own code: COCO RLE as pycocotools defines it, PNGs with ImageIO, the SVG path
 * rasterised with Java2D (pixel centres, even-odd rule).
 */
final class ExportedMasks {
    private static final Pattern SIZE = Pattern.compile("\"size\":\\[(\\d+),(\\d+)]");
    private static final Pattern COUNTS = Pattern.compile("\"counts\":\"([^\"]*)\"");
    private static final Pattern BBOX = Pattern.compile("\"bbox\":\\[(\\d+),(\\d+),(\\d+),(\\d+)]");
    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern PATH = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern PATH_STEP = Pattern.compile("([MLZ])(?:(-?[0-9.]+) (-?[0-9.]+))?");

    private ExportedMasks() {
    }

    /** The mask of a COCO annotation JSON with compressed RLE counts (column-major runs, zeros first). */
    static boolean[] fromCocoJson(String json) {
        Matcher size = find(SIZE, json);
        int height = Integer.parseInt(size.group(1));
        int width = Integer.parseInt(size.group(2));
        String counts = find(COUNTS, json).group(1).replace("\\\\", "\\");
        return fromRle(height, width, counts);
    }

    /** The mask of COCO compressed RLE counts for an image of (height, width), as pycocotools reads them. */
    static boolean[] fromRle(int height, int width, String counts) {
        boolean[] mask = new boolean[width * height];
        long[] runs = decompress(counts);
        int position = 0;
        for (int i = 0; i < runs.length; i++) {
            for (long k = 0; k < runs[i]; k++, position++) {
                if (i % 2 == 1) {
                    int x = position / height;
                    int y = position % height;
                    mask[y * width + x] = true;
                }
            }
        }
        if (position != width * height) {
            throw new AssertionError("RLE covers " + position + " pixels, not " + width * height);
        }
        return mask;
    }

    /** COCO bbox [x, y, width, height] as written in the JSON. */
    static int[] bboxOf(String json) {
        Matcher m = find(BBOX, json);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))};
    }

    private static long[] decompress(String s) {
        long[] counts = new long[s.length()];
        int n = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                int c = s.charAt(p++) - 48;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (n > 2) {
                x += counts[n - 2];
            }
            counts[n++] = x;
        }
        return java.util.Arrays.copyOf(counts, n);
    }

    static BufferedImage png(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not a PNG ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A black-and-white mask PNG: inside where the pixel is bright. */
    static boolean[] fromMaskPng(BufferedImage image) {
        boolean[] mask = new boolean[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grey = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                mask[y * image.getWidth() + x] = grey > 127;
            }
        }
        return mask;
    }

    /** Opaque pixels of a cut-out. */
    static boolean[] fromAlpha(BufferedImage image) {
        boolean[] mask = new boolean[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                mask[y * image.getWidth() + x] = (image.getRGB(x, y) >>> 24) > 0;
            }
        }
        return mask;
    }

    /** Pixels whose centre the SVG's path encloses (even-odd), at the size of its viewBox. */
    static boolean[] fromSvg(String svg) {
        Matcher box = find(VIEW_BOX, svg);
        int width = Integer.parseInt(box.group(1));
        int height = Integer.parseInt(box.group(2));
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        Matcher step = PATH_STEP.matcher(find(PATH, svg).group(1));
        while (step.find()) {
            switch (step.group(1)) {
                case "M" -> path.moveTo(Double.parseDouble(step.group(2)), Double.parseDouble(step.group(3)));
                case "L" -> path.lineTo(Double.parseDouble(step.group(2)), Double.parseDouble(step.group(3)));
                default -> path.closePath();
            }
        }
        BufferedImage raster = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = raster.createGraphics();
        g.setColor(Color.WHITE);
        g.fill(path); // no antialiasing: a pixel is filled when its centre is inside
        g.dispose();
        return fromMaskPng(raster);
    }

    static double iou(boolean[] a, boolean[] b) {
        if (a.length != b.length) {
            throw new AssertionError("masks of " + a.length + " and " + b.length + " pixels");
        }
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            intersection += a[i] && b[i] ? 1 : 0;
            union += a[i] || b[i] ? 1 : 0;
        }
        return union == 0 ? 0 : (double) intersection / union;
    }

    /** Share of {@code part}'s pixels that {@code mask} covers. */
    static double covered(boolean[] mask, boolean[] part) {
        long inside = 0;
        long total = 0;
        for (int i = 0; i < part.length; i++) {
            if (part[i]) {
                total++;
                inside += mask[i] ? 1 : 0;
            }
        }
        return (double) inside / total;
    }

    private static Matcher find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
        }
        return m;
    }
}

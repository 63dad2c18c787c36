package clickseg.server.share;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.image.DecodedImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The picture a chat app shows for a share link: the photo, scaled to fit {@link #LONGEST_SIDE}, with the
 * mask laid over it in the app's blue and its edge drawn solid. Rendered from the stored RLE (never from a
 * client's picture), so it shows exactly what the link opens.
 *
 * <p>Scaling is an area average over each output pixel's box of source pixels, for the photo and for the
 * mask's coverage alike: one pass over the source, and no aliasing however large the photo.
 */
public final class SharePreview {
    /** Open Graph's recommended width; the image keeps its aspect. */
    static final int LONGEST_SIDE = 1200;
    private static final int[] TINT = {37, 99, 235}; // the app's accent, #2563eb
    private static final float TINT_ALPHA = 0.5f;

    private SharePreview() {
    }

    /** PNG bytes of the overlay. The mask is the share's (checked at creation to be the image's size). */
    public static byte[] render(DecodedImage image, String maskCounts) throws IOException {
        int w = image.width();
        int h = image.height();
        BinaryMask mask = RunLengthEncoding.decode(maskCounts, w, h);
        double shrink = Math.min(1.0, (double) LONGEST_SIDE / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * shrink));
        int oh = Math.max(1, (int) Math.round(h * shrink));

        float[] sums = new float[ow * oh * 4]; // (oh, ow, 4): r, g, b, mask coverage summed over the box
        int[] counts = new int[ow * oh]; // (oh, ow) source pixels per output pixel
        int[] columnOf = new int[w]; // (w) output column of each source column
        for (int x = 0; x < w; x++) {
            columnOf[x] = Math.min(ow - 1, (int) ((long) x * ow / w));
        }
        byte[] rgb = image.rgb(); // (h, w, 3)
        byte[] inside = mask.pixels(); // (h, w)
        for (int y = 0; y < h; y++) {
            int row = Math.min(oh - 1, (int) ((long) y * oh / h)) * ow;
            int source = y * w;
            for (int x = 0; x < w; x++) {
                int o = row + columnOf[x];
                int s = 3 * (source + x);
                sums[4 * o] += rgb[s] & 0xff;
                sums[4 * o + 1] += rgb[s + 1] & 0xff;
                sums[4 * o + 2] += rgb[s + 2] & 0xff;
                if (inside[source + x] != 0) {
                    sums[4 * o + 3] += 1;
                }
                counts[o]++;
            }
        }
        float[] coverage = new float[ow * oh]; // (oh, ow) fraction of the box inside the mask
        for (int o = 0; o < ow * oh; o++) {
            coverage[o] = counts[o] == 0 ? 0 : sums[4 * o + 3] / counts[o];
        }
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int o = y * ow + x;
                float n = Math.max(1, counts[o]);
                float c = coverage[o];
                float alpha = isEdge(coverage, ow, oh, x, y) ? 0.95f : TINT_ALPHA * c;
                int r = blend(sums[4 * o] / n, TINT[0], alpha);
                int g = blend(sums[4 * o + 1] / n, TINT[1], alpha);
                int b = blend(sums[4 * o + 2] / n, TINT[2], alpha);
                argb[o] = (r << 16) | (g << 8) | b;
            }
        }
        out.setRGB(0, 0, ow, oh, argb, 0, ow);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(out, "png", png);
        return png.toByteArray();
    }

    /** A pixel mostly inside the mask with a 4-neighbour mostly outside: the outline. */
    private static boolean isEdge(float[] coverage, int ow, int oh, int x, int y) {
        if (coverage[y * ow + x] < 0.5f) {
            return false;
        }
        return (x > 0 && coverage[y * ow + x - 1] < 0.5f) || (x < ow - 1 && coverage[y * ow + x + 1] < 0.5f)
                || (y > 0 && coverage[(y - 1) * ow + x] < 0.5f) || (y < oh - 1 && coverage[(y + 1) * ow + x] < 0.5f);
    }

    private static int blend(float photo, int tint, float alpha) {
        return Math.max(0, Math.min(255, Math.round(photo * (1 - alpha) + tint * alpha)));
    }
}

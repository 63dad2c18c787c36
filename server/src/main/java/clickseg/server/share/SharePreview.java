package clickseg.server.share;

import clickseg.mask.RunLengthEncoding;
import clickseg.server.image.DecodedImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The picture a chat app shows for a share link: the photo, scaled to fit {@link #LONGEST_SIDE}, with each
 * object's mask laid over it in its colour (a share of one unlabelled object: the app's blue) and its edge
 * drawn solid. Rendered from the stored RLE (never from a
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

    /** PNG bytes of the overlay of one mask in the app's blue (a share of one unlabelled object). */
    public static byte[] render(DecodedImage image, String maskCounts) throws IOException {
        return render(image, List.of(maskCounts), new int[] {(TINT[0] << 16) | (TINT[1] << 8) | TINT[2]});
    }

    /**
     * PNG bytes of the overlay of every mask, each in its colour (0xRRGGBB, {@code rgb[i]} for
     * {@code maskCounts.get(i)}), later masks over earlier ones. The masks are the share's (checked at
     * creation to be the image's size).
     */
    public static byte[] render(DecodedImage image, List<String> maskCounts, int[] rgb) throws IOException {
        int w = image.width();
        int h = image.height();
        double shrink = Math.min(1.0, (double) LONGEST_SIDE / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * shrink));
        int oh = Math.max(1, (int) Math.round(h * shrink));

        int[] columnOf = new int[w]; // (w) output column of each source column
        for (int x = 0; x < w; x++) {
            columnOf[x] = Math.min(ow - 1, (int) ((long) x * ow / w));
        }
        int[] rowOf = new int[h]; // (h) output row of each source row
        for (int y = 0; y < h; y++) {
            rowOf[y] = Math.min(oh - 1, (int) ((long) y * oh / h));
        }
        float[] sums = new float[ow * oh * 3]; // (oh, ow, 3): r, g, b summed over the box
        int[] counts = new int[ow * oh]; // (oh, ow) source pixels per output pixel
        byte[] photo = image.rgb(); // (h, w, 3)
        for (int y = 0; y < h; y++) {
            int row = rowOf[y] * ow;
            int source = y * w;
            for (int x = 0; x < w; x++) {
                int o = row + columnOf[x];
                int s = 3 * (source + x);
                sums[3 * o] += photo[s] & 0xff;
                sums[3 * o + 1] += photo[s + 1] & 0xff;
                sums[3 * o + 2] += photo[s + 2] & 0xff;
                counts[o]++;
            }
        }
        float[] out = new float[ow * oh * 3]; // (oh, ow, 3) the photo, then each mask blended over it
        for (int o = 0; o < ow * oh; o++) {
            float n = Math.max(1, counts[o]);
            out[3 * o] = sums[3 * o] / n;
            out[3 * o + 1] = sums[3 * o + 1] / n;
            out[3 * o + 2] = sums[3 * o + 2] / n;
        }
        float[] coverage = new float[ow * oh]; // (oh, ow) fraction of the box inside the mask, one mask at a time
        for (int m = 0; m < maskCounts.size(); m++) {
            byte[] inside = RunLengthEncoding.decode(maskCounts.get(m), w, h).pixels(); // (h, w)
            java.util.Arrays.fill(coverage, 0f);
            for (int y = 0; y < h; y++) {
                int row = rowOf[y] * ow;
                int source = y * w;
                for (int x = 0; x < w; x++) {
                    if (inside[source + x] != 0) {
                        coverage[row + columnOf[x]] += 1;
                    }
                }
            }
            for (int o = 0; o < ow * oh; o++) {
                coverage[o] = counts[o] == 0 ? 0 : coverage[o] / counts[o];
            }
            int[] tint = {(rgb[m] >> 16) & 0xff, (rgb[m] >> 8) & 0xff, rgb[m] & 0xff};
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int o = y * ow + x;
                    float alpha = isEdge(coverage, ow, oh, x, y) ? 0.95f : TINT_ALPHA * coverage[o];
                    for (int c = 0; c < 3; c++) {
                        out[3 * o + c] = out[3 * o + c] * (1 - alpha) + tint[c] * alpha;
                    }
                }
            }
        }
        BufferedImage picture = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[ow * oh];
        for (int o = 0; o < ow * oh; o++) {
            argb[o] = (channel(out[3 * o]) << 16) | (channel(out[3 * o + 1]) << 8) | channel(out[3 * o + 2]);
        }
        picture.setRGB(0, 0, ow, oh, argb, 0, ow);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        return png.toByteArray();
    }

    private static int channel(float value) {
        return Math.max(0, Math.min(255, Math.round(value)));
    }

    /** A pixel mostly inside the mask with a 4-neighbour mostly outside: the outline. */
    private static boolean isEdge(float[] coverage, int ow, int oh, int x, int y) {
        if (coverage[y * ow + x] < 0.5f) {
            return false;
        }
        return (x > 0 && coverage[y * ow + x - 1] < 0.5f) || (x < ow - 1 && coverage[y * ow + x + 1] < 0.5f)
                || (y > 0 && coverage[(y - 1) * ow + x] < 0.5f) || (y < oh - 1 && coverage[(y + 1) * ow + x] < 0.5f);
    }

}

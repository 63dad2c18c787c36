package clickseg.server.segment;

import clickseg.mask.BinaryMask;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * A synthetic picture with two filled discs on a noisy, gently shaded background, and the discs' exact
 * pixel masks (a pixel belongs to a disc when its centre lies inside the circle).
 */
final class DiscPicture {
    static final int WIDTH = 480;
    static final int HEIGHT = 360;

    /** The red disc, the one most tests click. */
    static final Disc RED = new Disc(160, 190, 80, 0xD02020);
    /** The blue disc, for prompts that must leave it out. */
    static final Disc BLUE = new Disc(360, 130, 60, 0x2040C0);

    record Disc(int centreX, int centreY, int radius, int rgb) {
        boolean contains(int x, int y) {
            double dx = x + 0.5 - centreX;
            double dy = y + 0.5 - centreY;
            return dx * dx + dy * dy <= (double) radius * radius;
        }

        BinaryMask mask() {
            BinaryMask mask = new BinaryMask(WIDTH, HEIGHT);
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    mask.set(x, y, contains(x, y));
                }
            }
            return mask;
        }
    }

    private DiscPicture() {
    }

    static BufferedImage image() {
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb;
                if (RED.contains(x, y)) {
                    rgb = RED.rgb();
                } else if (BLUE.contains(x, y)) {
                    rgb = BLUE.rgb();
                } else {
                    int v = 150 + 40 * x / WIDTH + 20 * y / HEIGHT + random.nextInt(15) - 7;
                    rgb = v << 16 | v << 8 | (v * 9 / 10);
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** Intersection over union of two masks of the same size. */
    static double iou(BinaryMask a, BinaryMask b) {
        byte[] pa = a.pixels();
        byte[] pb = b.pixels();
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < pa.length; i++) {
            boolean ia = pa[i] != 0;
            boolean ib = pb[i] != 0;
            intersection += ia && ib ? 1 : 0;
            union += ia || ib ? 1 : 0;
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }
}

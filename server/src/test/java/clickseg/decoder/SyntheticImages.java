package clickseg.decoder;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/** Deterministic test pictures: a textured background with a few filled shapes to segment. */
final class SyntheticImages {
    private SyntheticImages() {
    }

    static BufferedImage shapes(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = 90 + (int) (60.0 * x / width) + (int) (30.0 * y / height);
                int noise = random.nextInt(21) - 10;
                int v = Math.max(0, Math.min(255, base + noise));
                image.setRGB(x, y, v << 16 | (v * 9 / 10) << 8 | (v * 8 / 10));
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int shapes = 3 + random.nextInt(3);
        for (int i = 0; i < shapes; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int w = width / 6 + random.nextInt(Math.max(1, width / 3));
            int h = height / 6 + random.nextInt(Math.max(1, height / 3));
            int x = random.nextInt(Math.max(1, width - w));
            int y = random.nextInt(Math.max(1, height - h));
            if (random.nextBoolean()) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
        }
        g.dispose();
        return image;
    }
}

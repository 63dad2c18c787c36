package clickseg.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A test picture with known geometry: a red disc and a blue square on a plain light background.
 * Sharp edges (no antialiasing) so areas are exact: the disc covers about π·r² pixels.
 */
final class SyntheticImages {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int DISC_X = 200;
    static final int DISC_Y = 240;
    static final int DISC_RADIUS = 90;
    static final int SQUARE_LEFT = 390;
    static final int SQUARE_TOP = 150;
    static final int SQUARE_SIDE = 180;

    private SyntheticImages() {
    }

    static double discArea() {
        return Math.PI * DISC_RADIUS * DISC_RADIUS;
    }

    static double squareArea() {
        return (double) SQUARE_SIDE * SQUARE_SIDE;
    }

    static byte[] discAndSquarePng() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(232, 232, 228));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(new Color(205, 45, 40));
        g.fillOval(DISC_X - DISC_RADIUS, DISC_Y - DISC_RADIUS, 2 * DISC_RADIUS, 2 * DISC_RADIUS);
        g.setColor(new Color(40, 95, 205));
        g.fillRect(SQUARE_LEFT, SQUARE_TOP, SQUARE_SIDE, SQUARE_SIDE);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}

package clickseg.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Test pictures with known geometry on a plain light background, drawn without antialiasing so
 * every pixel is exactly inside or outside a shape:
 * <ul>
 * <li>{@link #discAndRectanglePng}: a red disc and, apart from it, a blue rectangle;</li>
 * <li>{@link #lollipopPng}: the same red disc with a red stick of the same colour touching it on
 *     the right — the model takes disc and stick for one object until told otherwise.</li>
 * </ul>
 * Truth masks are (height, width) row-major booleans.
 */
final class SyntheticImages {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int DISC_X = 200;
    static final int DISC_Y = 240;
    static final int DISC_RADIUS = 90;
    static final int RECT_LEFT = 390;
    static final int RECT_TOP = 150;
    static final int RECT_WIDTH = 180;
    static final int RECT_HEIGHT = 180;
    static final int STICK_LEFT = 285;
    static final int STICK_TOP = 225;
    static final int STICK_WIDTH = 200;
    static final int STICK_HEIGHT = 30;

    private static final Color BACKGROUND = new Color(232, 232, 228);
    private static final Color RED = new Color(205, 45, 40);
    private static final Color BLUE = new Color(40, 95, 205);

    private SyntheticImages() {
    }

    static byte[] discAndRectanglePng() {
        return discAndRectanglePng(1);
    }

    /** The same picture drawn {@code factor} times larger in each direction. */
    static byte[] discAndRectanglePng(int factor) {
        BufferedImage image = new BufferedImage(WIDTH * factor, HEIGHT * factor, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, WIDTH * factor, HEIGHT * factor);
        g.scale(factor, factor);
        drawDisc(g);
        g.setColor(BLUE);
        g.fillRect(RECT_LEFT, RECT_TOP, RECT_WIDTH, RECT_HEIGHT);
        g.dispose();
        return png(image);
    }

    static byte[] lollipopPng() {
        BufferedImage image = background();
        Graphics2D g = image.createGraphics();
        drawDisc(g);
        g.fillRect(STICK_LEFT, STICK_TOP, STICK_WIDTH, STICK_HEIGHT);
        g.dispose();
        return png(image);
    }

    /** Pixels whose centre lies in the disc (what fillOval paints, up to its rasterisation of the rim). */
    static boolean[] disc() {
        return disc(1);
    }

    /** The disc of the picture drawn {@code factor} times larger. */
    static boolean[] disc(int factor) {
        int width = WIDTH * factor;
        int height = HEIGHT * factor;
        boolean[] mask = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mask[y * width + x] = Math.hypot(x + 0.5 - DISC_X * factor, y + 0.5 - DISC_Y * factor)
                        <= DISC_RADIUS * factor;
            }
        }
        return mask;
    }

    static boolean[] rectangle() {
        return box(RECT_LEFT, RECT_TOP, RECT_WIDTH, RECT_HEIGHT);
    }

    /** The stick's pixels outside the disc: the part a negative click should remove. */
    static boolean[] stickOutsideDisc() {
        boolean[] stick = box(STICK_LEFT, STICK_TOP, STICK_WIDTH, STICK_HEIGHT);
        boolean[] disc = disc();
        for (int i = 0; i < stick.length; i++) {
            stick[i] &= !disc[i];
        }
        return stick;
    }

    private static boolean[] box(int left, int top, int width, int height) {
        boolean[] mask = new boolean[WIDTH * HEIGHT];
        for (int y = top; y < top + height; y++) {
            for (int x = left; x < left + width; x++) {
                mask[y * WIDTH + x] = true;
            }
        }
        return mask;
    }

    private static BufferedImage background() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return image;
    }

    private static void drawDisc(Graphics2D g) {
        g.setColor(RED);
        g.fillOval(DISC_X - DISC_RADIUS, DISC_Y - DISC_RADIUS, 2 * DISC_RADIUS, 2 * DISC_RADIUS);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}

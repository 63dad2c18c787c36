package clickseg.server.everything;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A flat grey picture with a few well separated, flat-coloured shapes, and each shape's exact pixels:
 * the case where "segment everything" has one right answer per shape and none for the background.
 */
final class ShapePicture {
    static final int WIDTH = 512;
    static final int HEIGHT = 384;
    private static final Color BACKGROUND = new Color(200, 200, 200);

    /** The shapes, drawn in this order; none touches another or the picture's edge. */
    static final List<Shape> SHAPES = List.of(
            new Ellipse2D.Double(50, 50, 130, 130),                                       // red disc
            new Rectangle2D.Double(300, 60, 140, 100),                                    // blue rectangle
            new Polygon(new int[] {90, 210, 30}, new int[] {230, 350, 350}, 3),           // green triangle
            new Ellipse2D.Double(290, 230, 170, 100));                                    // orange ellipse
    private static final List<Color> COLOURS = List.of(new Color(220, 30, 30), new Color(30, 60, 200),
            new Color(40, 160, 60), new Color(240, 150, 20));

    private ShapePicture() {
    }

    static BufferedImage image() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        for (int i = 0; i < SHAPES.size(); i++) {
            g.setColor(COLOURS.get(i));
            g.fill(SHAPES.get(i));
        }
        g.dispose();
        return image;
    }

    /** Shape i's pixels (HEIGHT, WIDTH) as 0/1, read back from the picture by colour so that they match what was drawn. */
    static byte[] truth(int shape) {
        BufferedImage image = image();
        int colour = COLOURS.get(shape).getRGB() & 0xFFFFFF;
        byte[] mask = new byte[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                mask[y * WIDTH + x] = (byte) ((image.getRGB(x, y) & 0xFFFFFF) == colour ? 1 : 0);
            }
        }
        return mask;
    }
}

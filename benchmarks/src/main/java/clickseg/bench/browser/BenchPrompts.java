package clickseg.bench.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Prompts a person would give on one photo, drawn reproducibly (fixed seed) from its ground-truth
 * mask so that they land on the object: single clicks well inside it, multi-click prompts (one to
 * three foreground points and a background click near the object), and boxes around it with a few
 * percent of jitter per edge. Kinds alternate, so warm-up and measured prompts mix all three.
 */
final class BenchPrompts {
    /** Distance (px) a sampled point keeps from the object's edge, checked in four directions. */
    private static final int MARGIN = 8;

    private final int width;
    private final int height;
    private final int[] truth; // (height, width): 0 background, 255 object, 128 unknown band
    private final Random random;
    private final int x0;
    private final int y0;
    private final int x1;
    private final int y1; // object bounding box, inclusive

    private BenchPrompts(BufferedImage mask, long seed) {
        width = mask.getWidth();
        height = mask.getHeight();
        truth = new int[width * height];
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = mask.getRaster().getSample(x, y, 0);
                truth[y * width + x] = v;
                if (v == 255) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            throw new IllegalArgumentException("the ground-truth mask has no object pixels");
        }
        x0 = minX;
        y0 = minY;
        x1 = maxX;
        y1 = maxY;
        random = new Random(seed);
    }

    /** {@code count} prompts for the photo whose ground truth is {@code maskFile}. */
    static List<BenchPrompt> draw(Path maskFile, int count, long seed) throws IOException {
        BufferedImage mask = ImageIO.read(maskFile.toFile());
        if (mask == null) {
            throw new IOException("cannot read the ground-truth mask " + maskFile);
        }
        BenchPrompts drawer = new BenchPrompts(mask, seed);
        List<BenchPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(switch (i % 3) {
                case 0 -> drawer.click();
                case 1 -> drawer.multi();
                default -> drawer.box();
            });
        }
        return prompts;
    }

    /** One foreground click well inside the object (the first prompt of the cold start and new photos). */
    static BenchPrompt firstClick(Path maskFile, long seed) throws IOException {
        BufferedImage mask = ImageIO.read(maskFile.toFile());
        if (mask == null) {
            throw new IOException("cannot read the ground-truth mask " + maskFile);
        }
        return new BenchPrompts(mask, seed).click();
    }

    private BenchPrompt click() {
        float[] p = sample(255, false);
        return new BenchPrompt("click", p, new int[] {1}, null);
    }

    private BenchPrompt multi() {
        int positives = 1 + random.nextInt(3);
        float[] points = new float[2 * (positives + 1)];
        int[] labels = new int[positives + 1];
        for (int i = 0; i < positives; i++) {
            float[] p = sample(255, false);
            points[2 * i] = p[0];
            points[2 * i + 1] = p[1];
            labels[i] = 1;
        }
        float[] n = sample(0, true);
        points[2 * positives] = n[0];
        points[2 * positives + 1] = n[1];
        labels[positives] = 0;
        return new BenchPrompt("multi", points, labels, null);
    }

    private BenchPrompt box() {
        float jitterX = 0.04f * (x1 - x0 + 1);
        float jitterY = 0.04f * (y1 - y0 + 1);
        float bx0 = clamp(x0 + jitter(jitterX), width);
        float by0 = clamp(y0 + jitter(jitterY), height);
        float bx1 = clamp(x1 + 1 + jitter(jitterX), width);
        float by1 = clamp(y1 + 1 + jitter(jitterY), height);
        return new BenchPrompt("box", new float[0], new int[0], new float[] {bx0, by0, bx1, by1});
    }

    private float jitter(float amount) {
        return (random.nextFloat() * 2 - 1) * amount;
    }

    private static float clamp(float v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    /**
     * A pixel centre whose label is {@code value} and stays so MARGIN px away in four directions;
     * background points are taken near the object (its box grown by half) like corrective clicks.
     */
    private float[] sample(int value, boolean nearObject) {
        int left = 0;
        int top = 0;
        int right = width - 1;
        int bottom = height - 1;
        if (nearObject) {
            int growX = (x1 - x0) / 2;
            int growY = (y1 - y0) / 2;
            left = Math.max(0, x0 - growX);
            top = Math.max(0, y0 - growY);
            right = Math.min(width - 1, x1 + growX);
            bottom = Math.min(height - 1, y1 + growY);
        }
        for (int attempt = 0; attempt < 100_000; attempt++) {
            int x = left + random.nextInt(right - left + 1);
            int y = top + random.nextInt(bottom - top + 1);
            if (is(x, y, value) && is(x - MARGIN, y, value) && is(x + MARGIN, y, value)
                    && is(x, y - MARGIN, value) && is(x, y + MARGIN, value)) {
                return new float[] {x + 0.5f, y + 0.5f};
            }
        }
        throw new IllegalStateException("no pixel labelled " + value + " with a " + MARGIN + " px margin");
    }

    private boolean is(int x, int y, int value) {
        return x >= 0 && y >= 0 && x < width && y < height && truth[y * width + x] == value;
    }
}

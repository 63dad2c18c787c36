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
 * three foreground points and a background click near the object), refinements (the prompt before
 * plus one corrective click, decoded with the previous mask as mask input, as the page does when a
 * click is added), and boxes around it with a few percent of jitter per edge. Kinds alternate, so
 * warm-up and measured prompts mix all four. Also a pointer path across the object for hovering.
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

    /**
     * {@code count} prompts for the photo whose ground truth is {@code maskFile}, in the order
     * click, multi, refine, box, …: a refinement always follows a prompt on the same object whose
     * mask it refines (the first prompt is a click, never a refinement).
     */
    static List<BenchPrompt> draw(Path maskFile, int count, long seed) throws IOException {
        BenchPrompts drawer = new BenchPrompts(read(maskFile), seed);
        List<BenchPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(switch (i % 4) {
                case 0 -> drawer.click();
                case 1 -> drawer.multi();
                case 2 -> drawer.refine(prompts.get(i - 1));
                default -> drawer.box();
            });
        }
        return prompts;
    }

    /** One foreground click well inside the object (the first prompt of the cold start and new photos). */
    static BenchPrompt firstClick(Path maskFile, long seed) throws IOException {
        return new BenchPrompts(read(maskFile), seed).click();
    }

    /**
     * A pointer moving across the object: {@code count} positions (x, y in original pixels), each
     * about {@code step} px from the one before and all inside the object, a walk that keeps its
     * heading and turns only where the object's edge is near, as a hand sweeping over it would.
     */
    static List<float[]> hoverPath(Path maskFile, int count, float step, long seed) throws IOException {
        return new BenchPrompts(read(maskFile), seed).walk(count, step);
    }

    private static BufferedImage read(Path maskFile) throws IOException {
        BufferedImage mask = ImageIO.read(maskFile.toFile());
        if (mask == null) {
            throw new IOException("cannot read the ground-truth mask " + maskFile);
        }
        return mask;
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

    /**
     * The prompt before (on the same object) with one more click, foreground inside the object or
     * background near it; the benchmark page feeds it the previous prompt's chosen mask.
     */
    private BenchPrompt refine(BenchPrompt previous) {
        int n = previous.labels().length;
        float[] points = java.util.Arrays.copyOf(previous.points(), 2 * (n + 1));
        int[] labels = java.util.Arrays.copyOf(previous.labels(), n + 1);
        boolean foreground = random.nextBoolean();
        float[] p = sample(foreground ? 255 : 0, !foreground);
        points[2 * n] = p[0];
        points[2 * n + 1] = p[1];
        labels[n] = foreground ? 1 : 0;
        return new BenchPrompt("refine", points, labels, null);
    }

    private List<float[]> walk(int count, float step) {
        List<float[]> path = new ArrayList<>();
        float[] at = sample(255, false);
        double heading = random.nextDouble() * 2 * Math.PI;
        path.add(at);
        while (path.size() < count) {
            // Try the current heading first, then ever wider turns either way, until a step stays inside.
            boolean moved = false;
            for (int attempt = 0; attempt < 64 && !moved; attempt++) {
                double turn = attempt == 0 ? random.nextGaussian() * 0.2
                        : (attempt % 2 == 0 ? 1 : -1) * (0.3 + 0.1 * attempt) + random.nextGaussian() * 0.1;
                double direction = heading + turn;
                float x = at[0] + (float) (step * Math.cos(direction));
                float y = at[1] + (float) (step * Math.sin(direction));
                int px = (int) Math.floor(x);
                int py = (int) Math.floor(y);
                int margin = MARGIN / 2;
                if (is(px, py, 255) && is(px - margin, py, 255) && is(px + margin, py, 255)
                        && is(px, py - margin, 255) && is(px, py + margin, 255)) {
                    at = new float[] {x, y};
                    heading = direction;
                    moved = true;
                }
            }
            if (!moved) {
                at = sample(255, false); // cornered in a thin part: the hand jumps elsewhere on the object
            }
            path.add(at);
        }
        return path;
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

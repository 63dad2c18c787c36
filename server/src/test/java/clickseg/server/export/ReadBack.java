package clickseg.server.export;

import clickseg.mask.BinaryMask;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a reader turns exported polygons back into pixels, written apart from the exporter: the even–odd rule
 * over all polygons of a shape, a pixel inside when its centre (x + 0.5, y + 0.5) is (pycocotools' convention
 * for COCO polygons, SVG's evenodd).
 */
public final class ReadBack {
    private ReadBack() {
    }

    /** COCO's [[x1, y1, …], …]. */
    public static boolean[] cocoPolygons(JsonArray segmentation, int width, int height) {
        List<double[]> polygons = new ArrayList<>();
        for (JsonElement p : segmentation) {
            JsonArray xy = p.getAsJsonArray();
            double[] polygon = new double[xy.size()];
            for (int i = 0; i < polygon.length; i++) {
                polygon[i] = xy.get(i).getAsDouble();
            }
            polygons.add(polygon);
        }
        return fill(polygons, width, height);
    }

    public static boolean[] fill(List<double[]> polygons, int width, int height) {
        boolean[] inside = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            double sy = y + 0.5;
            double[] xs = new double[16];
            int n = 0;
            for (double[] p : polygons) {
                int count = p.length / 2;
                for (int i = 0, j = count - 1; i < count; j = i++) {
                    double yi = p[2 * i + 1];
                    double yj = p[2 * j + 1];
                    if ((yi > sy) != (yj > sy)) {
                        if (n == xs.length) {
                            xs = Arrays.copyOf(xs, 2 * n);
                        }
                        xs[n++] = p[2 * i] + (sy - yi) * (p[2 * j] - p[2 * i]) / (yj - yi);
                    }
                }
            }
            Arrays.sort(xs, 0, n);
            for (int k = 0; k + 1 < n; k += 2) {
                for (int x = (int) Math.max(0, Math.ceil(xs[k] - 0.5)); x < Math.min(width, Math.ceil(xs[k + 1] - 0.5)); x++) {
                    inside[y * width + x] = true;
                }
            }
        }
        return inside;
    }

    public static double iou(BinaryMask mask, boolean[] other) {
        long both = 0;
        long either = 0;
        for (int i = 0; i < other.length; i++) {
            boolean a = mask.pixels()[i] != 0;
            both += a && other[i] ? 1 : 0;
            either += a || other[i] ? 1 : 0;
        }
        return either == 0 ? 1 : (double) both / either;
    }

    public static BinaryMask disc(int width, int height, double cx, double cy, double r, double hole) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                mask.set(x, y, d <= r && d > hole);
            }
        }
        return mask;
    }
}

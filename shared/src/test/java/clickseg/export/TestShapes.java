package clickseg.export;

import clickseg.mask.BinaryMask;

/** Synthetic masks with the outlines that make simplification hard: curves, holes, thin parts, separate parts. */
final class TestShapes {
    private TestShapes() {
    }

    static BinaryMask disc(int width, int height, double cx, double cy, double r) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                mask.set(x, y, dx * dx + dy * dy <= r * r);
            }
        }
        return mask;
    }

    /** An annulus: a disc with a round hole. */
    static BinaryMask ring(int width, int height, double cx, double cy, double outer, double inner) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double d2 = dx * dx + dy * dy;
                mask.set(x, y, d2 <= outer * outer && d2 > inner * inner);
            }
        }
        return mask;
    }

    /** A slanted bar `thickness` pixels wide (a pole, a leg, a cable). */
    static BinaryMask bar(int width, int height, double x0, double y0, double x1, double y1, double thickness) {
        BinaryMask mask = new BinaryMask(width, height);
        double dx = x1 - x0;
        double dy = y1 - y0;
        double length2 = dx * dx + dy * dy;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double px = x + 0.5 - x0;
                double py = y + 0.5 - y0;
                double t = Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
                double ex = px - t * dx;
                double ey = py - t * dy;
                mask.set(x, y, ex * ex + ey * ey <= thickness * thickness / 4);
            }
        }
        return mask;
    }

    static BinaryMask rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                mask.set(x, y, true);
            }
        }
        return mask;
    }

    static BinaryMask union(BinaryMask a, BinaryMask b) {
        BinaryMask out = new BinaryMask(a.width(), a.height());
        for (int i = 0; i < out.pixels().length; i++) {
            out.pixels()[i] = (byte) (a.pixels()[i] | b.pixels()[i]);
        }
        return out;
    }

    static double iou(BinaryMask mask, boolean[] other) {
        long both = 0;
        long either = 0;
        byte[] p = mask.pixels();
        for (int i = 0; i < p.length; i++) {
            boolean a = p[i] != 0;
            both += a && other[i] ? 1 : 0;
            either += a || other[i] ? 1 : 0;
        }
        return either == 0 ? 1.0 : (double) both / either;
    }
}

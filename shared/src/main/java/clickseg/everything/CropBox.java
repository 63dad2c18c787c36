package clickseg.everything;

import java.util.ArrayList;
import java.util.List;

/**
 * A region of the image that gets its own embedding and point grid, XYXY in original pixels
 * (x1, y1 exclusive), and the crop layer it belongs to (0 = the whole image).
 */
public record CropBox(int x0, int y0, int x1, int y1, int layer) {

    public int width() {
        return x1 - x0;
    }

    public int height() {
        return y1 - y0;
    }

    public long area() {
        return (long) width() * height();
    }

    public boolean isWholeImage(int imageWidth, int imageHeight) {
        return x0 == 0 && y0 == 0 && x1 == imageWidth && y1 == imageHeight;
    }

    /**
     * SAM's generate_crop_boxes: the whole image, then for each layer k = 1..layers a 2^k × 2^k
     * tiling whose neighbours overlap by overlapRatio · shorterSide · 2 / 2^k pixels.
     */
    public static List<CropBox> layers(int imageWidth, int imageHeight, int layers, float overlapRatio) {
        List<CropBox> boxes = new ArrayList<>();
        boxes.add(new CropBox(0, 0, imageWidth, imageHeight, 0));
        int shortSide = Math.min(imageWidth, imageHeight);
        for (int layer = 1; layer <= layers; layer++) {
            int perSide = 1 << layer;
            int overlap = (int) (overlapRatio * shortSide * (2.0 / perSide));
            int cropW = cropLength(imageWidth, perSide, overlap);
            int cropH = cropLength(imageHeight, perSide, overlap);
            // SAM iterates product(x0s, y0s): x outer, y inner
            for (int i = 0; i < perSide; i++) {
                int x0 = (cropW - overlap) * i;
                for (int j = 0; j < perSide; j++) {
                    int y0 = (cropH - overlap) * j;
                    boxes.add(new CropBox(x0, y0, Math.min(x0 + cropW, imageWidth), Math.min(y0 + cropH, imageHeight), layer));
                }
            }
        }
        return boxes;
    }

    private static int cropLength(int length, int crops, int overlap) {
        return (int) Math.ceil((overlap * (crops - 1.0) + length) / crops);
    }
}

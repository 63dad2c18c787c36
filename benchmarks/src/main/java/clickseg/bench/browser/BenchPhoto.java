package clickseg.bench.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * One photo shape the benchmark runs on (issue 9: the decoder's padding, and so its work, depends
 * on the photo's aspect ratio): a GrabCut photo and its ground-truth mask, cropped at run time to
 * the shape's aspect ratio when they do not already have it. Crops are written to a temporary
 * folder of the run, never to the repository or the datasets.
 *
 * @param shape    the aspect ratio asked for, "W:H" (e.g. "16:9")
 * @param fileName the name the photo is uploaded and served under
 * @param image    the photo file (the original, or the crop)
 * @param truth    its ground-truth mask (0 background, 255 object, 128 unknown band)
 * @param origin   how it was made, for the report ("as it is", or the crop's rows/columns)
 */
record BenchPhoto(String shape, String fileName, Path image, Path truth, int width, int height, String origin) {
    /** JPEG quality of a crop: high, so the encoder sees nearly the original pixels. */
    private static final float CROP_QUALITY = 0.95f;

    /** Short name for URLs and file names: "16:9" → "16x9". */
    String key() {
        return shape.replace(':', 'x');
    }

    /**
     * {@code photo} (and {@code truth}) at aspect {@code shape}: as it is when it already has that
     * ratio (to the pixel), otherwise cropped along its longer axis, the crop placed to keep the
     * object's bounding box inside (centred on it, clamped to the photo when the box is larger).
     */
    static BenchPhoto of(String shape, Path photo, Path truth, Path cropFolder) throws IOException {
        String[] ratio = shape.split(":");
        if (ratio.length != 2) {
            throw new IllegalArgumentException("a shape is W:H, e.g. 16:9; got " + shape);
        }
        int aspectW = Integer.parseInt(ratio[0].trim());
        int aspectH = Integer.parseInt(ratio[1].trim());
        BufferedImage image = read(photo);
        BufferedImage mask = read(truth);
        int w = image.getWidth();
        int h = image.getHeight();
        if (mask.getWidth() != w || mask.getHeight() != h) {
            throw new IOException("photo " + photo + " and mask " + truth + " differ in size");
        }
        // The crop keeps the full extent of one axis and shortens the other to the ratio.
        int cropW = Math.min(w, Math.round((float) h * aspectW / aspectH));
        int cropH = Math.min(h, Math.round((float) w * aspectH / aspectW));
        String name = photo.getFileName().toString();
        if (cropW == w && cropH == h) {
            return new BenchPhoto(shape, name, photo, truth, w, h, "GrabCut " + name + " as it is");
        }
        int[] box = objectBox(mask);
        int left = placeCrop(box[0], box[2], cropW, w);
        int top = placeCrop(box[1], box[3], cropH, h);
        Files.createDirectories(cropFolder);
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        String key = shape.replace(':', 'x');
        Path croppedImage = cropFolder.resolve(stem + "-" + key + ".jpg");
        Path croppedTruth = cropFolder.resolve(stem + "-" + key + "-truth.png");
        writeJpeg(copy(image, left, top, cropW, cropH, BufferedImage.TYPE_INT_RGB), croppedImage);
        // PNG: the mask's three labels must survive exactly (a JPEG would blur 0/128/255).
        ImageIO.write(copy(mask, left, top, cropW, cropH, BufferedImage.TYPE_BYTE_GRAY), "png", croppedTruth.toFile());
        boolean boxInside = box[0] >= left && box[2] < left + cropW && box[1] >= top && box[3] < top + cropH;
        String origin = String.format("GrabCut %s (%d×%d) cropped at run time to columns %d–%d, rows %d–%d; the object's "
                        + "box (%d,%d)–(%d,%d) %s", name, w, h, left, left + cropW - 1, top, top + cropH - 1,
                box[0], box[1], box[2], box[3], boxInside ? "lies inside" : "is larger than the crop, centred and clamped");
        return new BenchPhoto(shape, croppedImage.getFileName().toString(), croppedImage, croppedTruth,
                cropW, cropH, origin);
    }

    /** Start of a crop of length {@code crop} in [0, size) centred on [lo, hi], clamped to the photo. */
    static int placeCrop(int lo, int hi, int crop, int size) {
        int centred = (lo + hi + 1) / 2 - crop / 2;
        return Math.max(0, Math.min(size - crop, centred));
    }

    /** {x0, y0, x1, y1} (inclusive) of the mask's object pixels (value 255). */
    private static int[] objectBox(BufferedImage mask) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < mask.getHeight(); y++) {
            for (int x = 0; x < mask.getWidth(); x++) {
                if (mask.getRaster().getSample(x, y, 0) == 255) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            throw new IllegalArgumentException("the ground-truth mask has no object pixels");
        }
        return new int[] {x0, y0, x1, y1};
    }

    private static BufferedImage copy(BufferedImage source, int left, int top, int w, int h, int type) {
        BufferedImage out = new BufferedImage(w, h, type);
        if (type == BufferedImage.TYPE_BYTE_GRAY) { // label values copied as they are, no colour conversion
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.getRaster().setSample(x, y, 0, source.getRaster().getSample(left + x, top + y, 0));
                }
            }
        } else {
            out.getGraphics().drawImage(source.getSubimage(left, top, w, h), 0, 0, null);
        }
        return out;
    }

    private static void writeJpeg(BufferedImage image, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(CROP_QUALITY);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("cannot read the image " + file);
        }
        return image;
    }
}

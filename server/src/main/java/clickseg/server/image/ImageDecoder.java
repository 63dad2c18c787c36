package clickseg.server.image;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Uploaded bytes to an upright 8-bit RGB image, read the way SAM's training pipeline (PIL / OpenCV) reads it.
 *
 * <ul>
 *   <li>Samples are taken raw from the raster: an embedded ICC profile is never applied (ImageIO's
 *       {@code getRGB} and TwelveMonkeys' JPEG reader would convert to sRGB and so recolour the image).</li>
 *   <li>JPEG components are read undecoded and converted with libjpeg's own YCbCr tables; CMYK/YCCK with
 *       the naive formula PIL and OpenCV use.</li>
 *   <li>Grayscale is replicated, palettes looked up, alpha dropped (PIL's {@code convert("RGB")}),
 *       16-bit samples keep their high byte.</li>
 *   <li>The EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF) is applied last.</li>
 *   <li>The header's declared size is checked against the pixel limit before any pixel is decoded, and the
 *       heap the decode needs is reserved from a {@link MemoryBudget} before any pixel is decoded.</li>
 * </ul>
 */
public final class ImageDecoder {
    /**
     * Images of up to this many pixels are read at full resolution (4096 x 4096: every common camera and phone
     * photo, so their embeddings are exactly SAM's); larger ones, when only a resized version is needed, are read
     * subsampled by the smallest whole factor that brings them under it, never below the size they are resized
     * to. A 7071 x 7071 PNG is then read as 3536 x 3536 (~90 MB of heap) instead of 150 MB and more.
     */
    public static final long FULL_DECODE_PIXELS = 4096L * 4096;
    /** Heap per decoded pixel besides the decoder's own raster: the RGB copy and an EXIF-rotated copy. */
    private static final int RGB_COPIES_BYTES = 6;

    private final long maxPixels;
    private final MemoryBudget budget;

    /** @param maxPixels the largest width x height accepted (after which the answer is 413) */
    public ImageDecoder(long maxPixels) {
        this(maxPixels, MemoryBudget.unlimited());
    }

    /**
     * @param budget every decode reserves the heap it will need here (from the header, before a pixel is
     *               decoded) and gives it back when done
     */
    public ImageDecoder(long maxPixels, MemoryBudget budget) {
        this.maxPixels = maxPixels;
        this.budget = budget;
    }

    /** What a decoded image is turned into while its memory is still reserved. */
    @FunctionalInterface
    public interface Use<T> {
        T apply(DecodedImage image);
    }

    /** The whole image at full resolution; its memory is reserved while it is decoded. */
    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        return decode(bytes, 0, 0, image -> image);
    }

    /**
     * Decodes the image, read subsampled when it is larger than {@link #FULL_DECODE_PIXELS} and only needed at
     * {@code longestSide}, and hands it to {@code use} while its memory (plus {@code useBytes} for what
     * {@code use} allocates) is still reserved.
     *
     * @param longestSide the longest side the caller resizes to; 0 = full resolution
     * @throws MemoryBudget.TooLargeException the decode could never fit the memory budget
     * @throws MemoryBudget.BusyException     the budget stayed full too long
     */
    public <T> T decode(byte[] bytes, int longestSide, long useBytes, Use<T> use) throws ImageRejectedException {
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new ImageRejectedException(ImageRejectedException.Reason.NOT_AN_IMAGE,
                    "the body is not a JPEG, PNG, BMP, GIF or WebP image");
        }
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(format, "its header cannot be read", e);
            }
            if (width <= 0 || height <= 0) {
                throw corrupt(format, "its header declares a size of " + width + "x" + height, null);
            }
            if ((long) width * height > maxPixels) {
                throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS,
                        "the image declares " + width + "x" + height + " = " + (long) width * height
                                + " pixels, more than the limit of " + maxPixels);
            }
            int step = format == ImageFormat.WEBP ? 1 : subsampling(width, height, longestSide);
            int w = (width + step - 1) / step;  // ImageIO's size for a subsampled read
            int h = (height + step - 1) / step;
            long need = (long) w * h * (rasterBytesPerPixel(reader, format) + RGB_COPIES_BYTES) + useBytes;
            try (MemoryBudget.Reservation reserved = budget.reserve(need, "decoding a " + width + "x" + height + " "
                    + format + (step > 1 ? " (read at 1/" + step + ")" : ""))) {
                ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                byte[] rgb; // (h, w, 3)
                int orientation;
                if (format == ImageFormat.JPEG) {
                    JpegStructure structure = JpegStructure.scan(bytes);
                    rgb = readJpeg(reader, param, structure, w, h);
                    orientation = ExifOrientation.fromTiff(structure.exif);
                } else {
                    rgb = readRgb(reader.read(0, param), w, h);
                    orientation = format == ImageFormat.PNG ? ExifOrientation.fromPng(bytes)
                            : format == ImageFormat.WEBP ? ExifOrientation.fromWebp(bytes) : ExifOrientation.UPRIGHT;
                }
                for (String warning : warnings) {
                    String lower = warning.toLowerCase(Locale.ROOT);
                    if (lower.contains("truncat") || lower.contains("premature end")) {
                        throw corrupt(format, "it is truncated (" + warning + ")", null);
                    }
                }
                DecodedImage upright = ExifOrientation.apply(orientation, rgb, w, h);
                boolean swaps = upright.width() != w;
                DecodedImage image = step == 1 ? upright : new DecodedImage(upright.rgb(), upright.width(),
                        upright.height(), swaps ? height : width, swaps ? width : height);
                return use.apply(image);
            }
        } catch (ImageRejectedException | MemoryBudget.TooLargeException | MemoryBudget.BusyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, "its data cannot be decoded", e);
        } finally {
            reader.dispose();
        }
    }

    /** The read step: 1 unless the image is over FULL_DECODE_PIXELS and still covers longestSide read coarser. */
    static int subsampling(int width, int height, int longestSide) {
        long pixels = (long) width * height;
        if (longestSide <= 0 || pixels <= FULL_DECODE_PIXELS) {
            return 1;
        }
        int step = (int) Math.ceil(Math.sqrt((double) pixels / FULL_DECODE_PIXELS));
        int coarsest = Math.max(1, Math.max(width, height) / longestSide);
        return Math.max(1, Math.min(step, coarsest));
    }

    /** Bytes per pixel of the decoder's own raster (and, for JPEG, the raw component copy), rounded up. */
    private static int rasterBytesPerPixel(ImageReader reader, ImageFormat format) {
        int bits = 32; // unknown layouts: assume 4 bytes
        try {
            javax.imageio.ImageTypeSpecifier raw = reader.getRawImageType(0);
            if (raw != null) {
                bits = 0;
                for (int size : raw.getSampleModel().getSampleSize()) {
                    bits += size;
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the assumption
        }
        int bytes = (bits + 7) / 8;
        return format == ImageFormat.JPEG ? 2 * Math.max(bytes, 3) : Math.max(bytes, 1);
    }

    private static ImageRejectedException corrupt(ImageFormat format, String what, Throwable cause) {
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
                "the " + format + " image is damaged: " + what + detail, cause);
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            // TwelveMonkeys' JPEG reader handles CMYK/YCCK and broken ICC segments that the JDK's rejects.
            if (chosen == null || candidate.getClass().getName().startsWith("com.twelvemonkeys")) {
                chosen = candidate;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the classpath");
        }
        return chosen;
    }

    /** The JPEG's decoded components without colour conversion, converted as libjpeg would. */
    private static byte[] readJpeg(ImageReader reader, ImageReadParam param, JpegStructure structure, int width,
                                   int height) throws IOException {
        Raster raster = reader.readRaster(0, param);
        if (raster.getWidth() != width || raster.getHeight() != height) {
            throw new IIOException("decoded " + raster.getWidth() + "x" + raster.getHeight() + " but the header says "
                    + width + "x" + height);
        }
        int components = raster.getNumBands();
        if (components != 1 && components != 3 && components != 4) {
            throw new IIOException(components + " colour components are not supported");
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        byte[] samples = new byte[width * height * components]; // (height, width, components)
        int[] row = new int[width * components];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            int base = y * width * components;
            for (int i = 0; i < row.length; i++) {
                samples[base + i] = (byte) to8Bits(row[i], bits);
            }
        }
        byte[] rgb = new byte[width * height * 3];
        JpegColorTransform.toRgb(samples, components, structure, rgb, width * height);
        return rgb;
    }

    /** Raw samples of a decoded PNG/GIF/BMP/WebP as RGB, alpha dropped, no colour management. */
    static byte[] readRgb(BufferedImage image, int width, int height) throws IIOException {
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IIOException("decoded " + image.getWidth() + "x" + image.getHeight() + " but the header says "
                    + width + "x" + height);
        }
        byte[] rgb = new byte[width * height * 3]; // (height, width, 3)
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int colorType = cm.getColorSpace().getType();
        if (cm instanceof IndexColorModel palette) {
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int argb = palette.getRGB(row[x]);
                    int o = (y * width + x) * 3;
                    rgb[o] = (byte) (argb >> 16);
                    rgb[o + 1] = (byte) (argb >> 8);
                    rgb[o + 2] = (byte) argb;
                }
            }
        } else if (cm instanceof ComponentColorModel
                && (colorType == ColorSpace.TYPE_GRAY || colorType == ColorSpace.TYPE_RGB)
                && raster.getSampleModel().getSampleSize(0) <= 16) {
            int bands = raster.getNumBands();
            int colorBands = colorType == ColorSpace.TYPE_GRAY ? 1 : 3;
            int bits = raster.getSampleModel().getSampleSize(0);
            int[] row = new int[width * bands]; // (width, bands)
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                for (int x = 0; x < width; x++) {
                    int o = (y * width + x) * 3;
                    int s = x * bands;
                    if (colorBands == 1) {
                        byte v = (byte) to8Bits(row[s], bits);
                        rgb[o] = v;
                        rgb[o + 1] = v;
                        rgb[o + 2] = v;
                    } else {
                        rgb[o] = (byte) to8Bits(row[s], bits);
                        rgb[o + 1] = (byte) to8Bits(row[s + 1], bits);
                        rgb[o + 2] = (byte) to8Bits(row[s + 2], bits);
                    }
                }
            }
        } else {
            // Packed pixels (BMP 5-6-5, 32-bit ARGB): ImageIO builds these in sRGB, so getRGB only unpacks bits.
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int o = (y * width + x) * 3;
                    rgb[o] = (byte) (row[x] >> 16);
                    rgb[o + 1] = (byte) (row[x] >> 8);
                    rgb[o + 2] = (byte) row[x];
                }
            }
        }
        return rgb;
    }

    /** 16-bit keeps its high byte (PIL "RGB;16B", OpenCV); fewer than 8 bits stretch to 0-255. */
    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }
}

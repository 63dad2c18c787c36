package clickseg.server.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/** Builds the test images in memory: encoded with ImageIO, then patched where a real-world file would differ. */
public final class TestImages {
    private TestImages() {
    }

    /** A smooth colour gradient (so JPEG keeps it close) of the given size. */
    public static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = x * 255 / Math.max(1, width - 1);
                int g = y * 255 / Math.max(1, height - 1);
                image.setRGB(x, y, r << 16 | g << 8 | 96);
            }
        }
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG written from raw 4-component samples (as CMYK files store them) with an Adobe APP14 marker. */
    public static byte[] adobeCmykJpeg(Raster storedSamples) {
        ImageWriter writer = null;
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter candidate = writers.next();
            if (candidate.getClass().getName().startsWith("com.sun")) {
                writer = candidate; // the JDK writer encodes a 4-band raster component by component
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(storedSamples, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return insertAfterSoi(out.toByteArray(), adobe);
    }

    /** Adds an APP1 EXIF segment whose IFD0 holds only the orientation tag. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
                'I', 'I', 42, 0, 8, 0, 0, 0,       // little-endian TIFF header, IFD0 at offset 8
                1, 0,                              // one entry
                0x12, 0x01, 3, 0, 1, 0, 0, 0,      // tag 0x0112 (orientation), SHORT, count 1
                (byte) orientation, 0, 0, 0,       // value
                0, 0, 0, 0                         // no next IFD
        };
        int length = 2 + 6 + tiff.length;
        byte[] segment = new byte[2 + length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xE1;
        segment[2] = (byte) (length >> 8);
        segment[3] = (byte) length;
        System.arraycopy(new byte[]{'E', 'x', 'i', 'f', 0, 0}, 0, segment, 4, 6);
        System.arraycopy(tiff, 0, segment, 10, tiff.length);
        return insertAfterSoi(jpeg, segment);
    }

    /** Adds an APP2 ICC_PROFILE segment (a single chunk). */
    public static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
        int length = 2 + 12 + 2 + profile.length;
        byte[] segment = new byte[2 + length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xE2;
        segment[2] = (byte) (length >> 8);
        segment[3] = (byte) length;
        byte[] tag = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, segment, 4, tag.length);
        segment[16] = 1; // chunk 1
        segment[17] = 1; // of 1
        System.arraycopy(profile, 0, segment, 18, profile.length);
        return insertAfterSoi(jpeg, segment);
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    /**
     * A PNG whose header claims {@code width x height} but that carries no pixel data: a decoder that reads
     * pixels before checking the size would fail (or allocate gigabytes) instead of rejecting it.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = new byte[17];
        ihdr[0] = 'I';
        ihdr[1] = 'H';
        ihdr[2] = 'D';
        ihdr[3] = 'R';
        putInt(ihdr, 4, width);
        putInt(ihdr, 8, height);
        ihdr[12] = 8; // bit depth
        ihdr[13] = 2; // RGB
        byte[] length = new byte[4];
        putInt(length, 0, 13);
        out.writeBytes(length);
        out.writeBytes(ihdr);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        byte[] crcBytes = new byte[4];
        putInt(crcBytes, 0, (int) crc.getValue());
        out.writeBytes(crcBytes);
        return out.toByteArray();
    }

    private static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }
}

package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ZipAndPngTest {
    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes()); // ZipInputStream checks each entry's CRC-32
            }
        }
        return files;
    }

    @Test
    void java_util_zip_reads_every_entry_with_its_utf8_name_and_bytes() throws IOException {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        byte[] zip = new ZipWriter().add("a/ünïcode.txt", "héllo").add("empty", new byte[0]).add("big.bin", big)
                .finish();
        Map<String, byte[]> files = unzip(zip);
        assertEquals(List.of("a/ünïcode.txt", "empty", "big.bin"), List.copyOf(files.keySet()));
        assertEquals("héllo", new String(files.get("a/ünïcode.txt"), StandardCharsets.UTF_8));
        assertEquals(0, files.get("empty").length);
        assertArrayEquals(big, files.get("big.bin"));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("export", ".zip");
        try {
            java.nio.file.Files.write(file, zip);
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
                assertEquals(3, z.size());
                assertEquals(200_000, z.getEntry("big.bin").getSize());
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void the_label_map_is_an_indexed_png_with_the_objects_colours_and_the_later_object_on_top() throws IOException {
        BinaryMask a = TestShapes.rectangle(30, 20, 0, 0, 14, 19);
        BinaryMask b = TestShapes.rectangle(30, 20, 10, 5, 29, 9);
        ExportImage image = new ExportImage("x.png", 30, 20,
                List.of(ExportObject.ofMask(4, "a", 0xff0000, a), ExportObject.ofMask(5, "b", 0x00ff80, b)));
        byte[] bytes = LabelMap.png(image);
        assertEquals(3, bytes[8 + 8 + 9], "colour type 3, indexed"); // signature, IHDR length and type, 10th data byte
        assertEquals("PLTE", new String(bytes, 37, 4, StandardCharsets.US_ASCII), "the palette follows IHDR");
        assertEquals(9, bytes[36], "three colours: background and the two objects");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(png);
        assertTrue(png.getColorModel() instanceof IndexColorModel, "indexed colour");
        IndexColorModel palette = (IndexColorModel) png.getColorModel();
        assertEquals(0x000000, palette.getRGB(0) & 0xFFFFFF);
        assertEquals(0xff0000, palette.getRGB(1) & 0xFFFFFF);
        assertEquals(0x00ff80, palette.getRGB(2) & 0xFFFFFF);
        int[] sample = new int[1];
        assertEquals(1, png.getRaster().getPixel(2, 2, sample)[0]);
        assertEquals(2, png.getRaster().getPixel(12, 6, sample)[0], "overlap: the later object");
        assertEquals(2, png.getRaster().getPixel(25, 6, sample)[0]);
        assertEquals(0, png.getRaster().getPixel(25, 15, sample)[0], "background");
    }

    @Test
    void the_mask_zip_has_per_image_label_maps_masks_cutouts_and_an_index() throws IOException {
        BinaryMask disc = TestShapes.disc(40, 30, 20, 15, 8);
        int[] argb = new int[40 * 30];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | (i % 40) << 16 | (i / 40) << 8 | 0x33;
        }
        ExportImage image = new ExportImage("dir/cat.jpg", 40, 30, List.of(
                ExportObject.ofMask(3, "cat/../x", 0x123456, disc),
                ExportObject.ofMask(4, "empty", 0x654321, new BinaryMask(40, 30)))).withPixels(argb);
        Map<String, byte[]> files = unzip(MaskArchive.zip(List.of(image)));
        assertEquals(List.of("cat/label-map.png", "cat/masks/01-cat_.._x.png", "cat/cutouts/01-cat_.._x.png",
                "cat/masks/02-empty.png", "cat/objects.json"), List.copyOf(files.keySet()));
        BufferedImage mask = ImageIO.read(new ByteArrayInputStream(files.get("cat/masks/01-cat_.._x.png")));
        assertEquals(40, mask.getWidth());
        assertEquals(255, mask.getRaster().getSample(20, 15, 0));
        assertEquals(0, mask.getRaster().getSample(0, 0, 0));
        BufferedImage cutout = ImageIO.read(new ByteArrayInputStream(files.get("cat/cutouts/01-cat_.._x.png")));
        int[] box = disc.boundingBox();
        assertEquals(box[2], cutout.getWidth(), "cropped to the object's box");
        assertEquals(argb[15 * 40 + 20], cutout.getRGB(20 - box[0], 15 - box[1]), "the image's own pixel");
        assertEquals(0, cutout.getRGB(0, 0) >>> 24, "transparent outside the mask");
        String index = new String(files.get("cat/objects.json"), StandardCharsets.UTF_8);
        assertTrue(index.contains("\"index\":1,\"id\":3,\"label\":\"cat/../x\",\"color\":\"#123456\""), index);
        assertEquals(2, com.google.gson.JsonParser.parseString(index).getAsJsonArray().size());
    }
}

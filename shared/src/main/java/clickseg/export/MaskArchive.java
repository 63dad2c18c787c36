package clickseg.export;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPng;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A zip of masks as pictures, a folder per image:
 *
 * <pre>
 * &lt;image stem&gt;/label-map.png          8-bit indexed: 0 background, n = n-th object ({@link LabelMap})
 * &lt;image stem&gt;/masks/NN-&lt;label&gt;.png    per object, 8-bit greyscale at the image size, 255 inside
 * &lt;image stem&gt;/cutouts/NN-&lt;label&gt;.png  per object, RGBA image pixels inside the mask, transparent
 *                                     outside, cropped to the object's bbox (only when the image's pixels
 *                                     were given, {@link ExportImage#withPixels})
 * &lt;image stem&gt;/objects.json           [{"index", "id", "label", "color", "area", "bbox"}]: which file is
 *                                     which object, and where each cut-out sits ([x, y, w, h])
 * </pre>
 * NN is the object's index in the label map (01, 02, …). Empty objects get a mask but no cut-out.
 */
public final class MaskArchive {
    private MaskArchive() {
    }

    public static byte[] zip(List<ExportImage> images) {
        ZipWriter zip = new ZipWriter();
        addTo(zip, images);
        return zip.finish();
    }

    public static void addTo(ZipWriter zip, List<ExportImage> images) {
        List<String> stems = FileNames.stems(images);
        for (int i = 0; i < images.size(); i++) {
            ExportImage image = images.get(i);
            String folder = stems.get(i) + "/";
            zip.add(folder + "label-map.png", LabelMap.png(image));
            StringBuilder index = new StringBuilder("[");
            Set<String> taken = new HashSet<>();
            List<ExportObject> objects = image.objects();
            int digits = Math.max(2, Integer.toString(objects.size()).length());
            for (int n = 0; n < objects.size(); n++) {
                ExportObject object = objects.get(n);
                BinaryMask mask = object.mask();
                String number = Integer.toString(n + 1);
                while (number.length() < digits) {
                    number = "0" + number;
                }
                String name = FileNames.distinct(number + "-" + FileNames.safe(Categories.name(object.label()),
                        "object"), taken) + ".png";
                zip.add(folder + "masks/" + name, MaskPng.encode(mask));
                int[] box = mask.boundingBox();
                if (image.pixels() != null && box[2] > 0) {
                    zip.add(folder + "cutouts/" + name, MaskPng.encodeCutout(LabelMap.crop(mask, box),
                            cropPixels(image, box)));
                }
                index.append(n == 0 ? "\n" : ",\n").append("{\"index\":").append(n + 1).append(",\"id\":")
                        .append(object.id()).append(",\"label\":");
                MarkupText.appendJsonString(index, Categories.name(object.label()));
                index.append(",\"color\":\"").append(ObjectColours.hex(object.rgb())).append("\",\"area\":")
                        .append(mask.area()).append(",\"bbox\":[").append(box[0]).append(',').append(box[1])
                        .append(',').append(box[2]).append(',').append(box[3]).append("],\"mask\":");
                MarkupText.appendJsonString(index, "masks/" + name);
                index.append('}');
            }
            zip.add(folder + "objects.json", index.append("]\n").toString());
        }
    }

    private static int[] cropPixels(ExportImage image, int[] box) {
        int[] crop = new int[box[2] * box[3]];
        for (int y = 0; y < box[3]; y++) {
            System.arraycopy(image.pixels(), (box[1] + y) * image.width() + box[0], crop, y * box[2], box[2]);
        }
        return crop;
    }
}

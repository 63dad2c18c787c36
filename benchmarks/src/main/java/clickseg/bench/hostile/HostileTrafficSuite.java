package clickseg.bench.hostile;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-traffic suite (issue 10): the attacks of the issue, each against a fresh server started from a
 * jar with {@code -Xmx1g} on loopback, and a 20-client mixed load. Per test it prints requests, statuses,
 * p50/p95/p99 latency, the server's peak RSS (VmHWM) and /health availability (probes every 250 ms from
 * their own address, answered 200 within 1 s).
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp benchmarks/target/classes clickseg.bench.hostile.HostileTrafficSuite server/target/clickseg-server.jar [--only NAME,...]
 * </pre>
 * Needs the model in ~/.cache/clickseg (the server fetches it on first start) and root-free loopback
 * addresses 127.0.0.2–127.0.0.99 (Linux routes all of 127/8 to lo). About 5 minutes.
 */
public final class HostileTrafficSuite {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{64})\"");
    private static final Pattern COUNTS = Pattern.compile("\"counts\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final InetAddress PROBE = RawHttp.loopback(99);

    private final Path jar;
    private final StringBuilder report = new StringBuilder();

    private HostileTrafficSuite(Path jar) {
        this.jar = jar;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !Files.isRegularFile(Path.of(args[0]))) {
            System.err.println("usage: HostileTrafficSuite SERVER_JAR [--only slow,bombs,json,everything,shares,mixed]");
            System.exit(2);
        }
        List<String> only = args.length >= 3 && args[1].equals("--only") ? List.of(args[2].split(",")) : List.of();
        HostileTrafficSuite suite = new HostileTrafficSuite(Path.of(args[0]));
        suite.line("| test | requests | statuses | p50 ms | p95 ms | p99 ms | peak RSS MiB | /health ok | notes |");
        suite.line("|---|---|---|---|---|---|---|---|---|");
        for (String test : List.of("slow", "bombs", "json", "everything", "shares", "mixed")) {
            if (only.isEmpty() || only.contains(test)) {
                suite.run(test);
            }
        }
        System.out.println();
        System.out.println("jar: " + args[0] + ", " + Runtime.getRuntime().availableProcessors() + " cores, load before: "
                + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.print(suite.report);
    }

    private void line(String text) {
        report.append(text).append('\n');
        System.out.println(text);
    }

    private void run(String test) throws Exception {
        try (ServerProcess server = ServerProcess.start(jar, "1g", List.of())) {
            HealthProbe probe = new HealthProbe(server.port());
            probe.start();
            Outcomes outcomes = new Outcomes();
            String notes = switch (test) {
                case "slow" -> slowBodies(server, outcomes);
                case "bombs" -> bombs(server, outcomes);
                case "json" -> bigJson(server, outcomes);
                case "everything" -> everythingStorm(server, outcomes);
                case "shares" -> shareStorm(server, outcomes);
                default -> mixedLoad(server, outcomes);
            };
            probe.stop();
            if (!server.alive()) {
                notes += "; SERVER DIED";
            }
            long oom = server.logLinesContaining("OutOfMemoryError");
            if (oom > 0) {
                notes += "; OutOfMemoryError ×" + oom + " in the log";
            }
            line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d | %s | %s |", test,
                    outcomes.requests(), outcomes.statuses(), millis(outcomes.percentile(0.5)),
                    millis(outcomes.percentile(0.95)), millis(outcomes.percentile(0.99)), server.peakRssMib(),
                    probe.summary(), notes));
        }
    }

    // 300 connections from 30 addresses, each sending an upload body at 1 byte / 5 s, for 30 s.
    private String slowBodies(ServerProcess server, Outcomes outcomes) throws Exception {
        Socket[] slow = new Socket[300];
        int opened = 0;
        long end = System.nanoTime() + 30_000_000_000L;
        for (int tick = 0; System.nanoTime() < end; tick++) {
            for (int i = 0; i < slow.length; i++) {
                try {
                    if (slow[i] == null) {
                        Socket s = new Socket();
                        s.bind(new InetSocketAddress(RawHttp.loopback(2 + i % 30), 0));
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2000);
                        s.getOutputStream().write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                                + "Content-Length: 1000000\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
                        slow[i] = s;
                        opened++;
                    } else if (tick % 5 == 0) {
                        slow[i].getOutputStream().write('x');
                    }
                } catch (IOException e) {
                    close(slow[i]);
                    slow[i] = null;
                }
            }
            Thread.sleep(1000);
        }
        for (Socket s : slow) {
            close(s);
        }
        // the test's requests are the probes: their latencies are what the attack did to everyone else
        return opened + " slow connections opened (1 byte / 5 s each)";
    }

    // 40 concurrent copies of a 7071x7071 1-bit PNG (~6 KB).
    private String bombs(ServerProcess server, Outcomes outcomes) throws Exception {
        BufferedImage bomb = new BufferedImage(7071, 7071, BufferedImage.TYPE_BYTE_BINARY);
        byte[] png = encode(bomb, "png");
        concurrently(40, i -> record(outcomes, RawHttp.exchange(RawHttp.loopback(10 + i % 40), server.port(), "POST",
                "/api/images", "image/png", png, 180_000)));
        RawHttp.Answer valid = RawHttp.exchange(RawHttp.loopback(60), server.port(), "POST", "/api/images", "image/png",
                encode(gradient(320, 240), "png"), 120_000);
        return png.length + "-byte bomb; a valid upload after: " + RawHttp.statusName(valid.status());
    }

    // 8 concurrent 50 MB JSON bodies to /api/everything.
    private String bigJson(ServerProcess server, Outcomes outcomes) throws Exception {
        byte[] body = new byte[50 << 20];
        byte[] open = "{\"images\": [\"".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(body, (byte) 'a');
        System.arraycopy(open, 0, body, 0, open.length);
        byte[] close = "\"]}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(close, 0, body, body.length - close.length, close.length);
        concurrently(8, i -> record(outcomes, RawHttp.exchange(RawHttp.loopback(10 + i), server.port(), "POST",
                "/api/everything", "application/json", body, 120_000)));
        return "50 MiB each";
    }

    // The job from 17 addresses at once, each with another threshold (defeating the cache).
    private String everythingStorm(ServerProcess server, Outcomes outcomes) throws Exception {
        String id = upload(server, gradient(640, 480), 70);
        concurrently(17, i -> record(outcomes, RawHttp.exchange(RawHttp.loopback(10 + i), server.port(), "POST",
                "/api/images/" + id + "/everything", "application/json", ("{\"pointsPerSide\":64,\"cropLayers\":3,"
                        + "\"cropPointsDownscale\":1,\"predIouThreshold\":0." + (70 + i) + "}").getBytes(StandardCharsets.US_ASCII),
                30_000)));
        // What the storm left behind for an innocent client: one segment request from another address.
        RawHttp.Answer victim = RawHttp.exchange(RawHttp.loopback(80), server.port(), "POST", "/api/images/" + id + "/segment",
                "application/json", "{\"points\": [[320, 240]], \"labels\": [1]}".getBytes(StandardCharsets.US_ASCII), 60_000);
        return String.format(Locale.ROOT, "17 jobs (64 points, 3 crop layers), 30 s client timeout; a segment "
                + "request after: %s in %.0f ms", RawHttp.statusName(victim.status()), victim.millis());
    }

    // 60 concurrent share creations from one address (limit 20 per minute).
    private String shareStorm(ServerProcess server, Outcomes outcomes) throws Exception {
        String id = upload(server, gradient(320, 240), 70);
        RawHttp.Answer models = RawHttp.exchange(PROBE, server.port(), "GET", "/api/models", null, null, 10_000);
        RawHttp.Answer segment = RawHttp.exchange(RawHttp.loopback(70), server.port(), "POST", "/api/images/" + id + "/segment",
                "application/json", "{\"points\": [[160, 120]], \"labels\": [1], \"format\": \"rle\", \"multimask\": false}"
                        .getBytes(StandardCharsets.US_ASCII), 60_000);
        Matcher counts = COUNTS.matcher(segment.body());
        Matcher modelId = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(models.body());
        if (!counts.find() || !modelId.find()) {
            return "could not prepare a share: " + segment.status() + " " + segment.body();
        }
        byte[] share = ("{\"imageId\": \"" + id + "\", \"modelId\": \"" + modelId.group(1) + "\", \"prompts\": {\"points\": "
                + "[[160, 120]], \"labels\": [1], \"box\": null, \"maskIndex\": 0}, \"mask\": {\"size\": [240, 320], "
                + "\"counts\": \"" + counts.group(1) + "\"}}").getBytes(StandardCharsets.UTF_8);
        concurrently(60, i -> record(outcomes, RawHttp.exchange(RawHttp.loopback(20), server.port(), "POST", "/api/shares",
                "application/json", share, 60_000)));
        return outcomes.count("201") + " shares created (limit 20 per address per minute)";
    }

    // 20 clients (own addresses) for 60 s: upload a new photo-sized image, 5 clicks, fetch the embedding.
    private String mixedLoad(ServerProcess server, Outcomes outcomes) throws Exception {
        Outcomes segments = new Outcomes();
        Outcomes uploads = new Outcomes();
        long end = System.nanoTime() + 60_000_000_000L;
        AtomicInteger images = new AtomicInteger();
        concurrently(20, client -> {
            InetAddress from = RawHttp.loopback(30 + client);
            java.util.Random random = new java.util.Random(client);
            for (int round = 0; System.nanoTime() < end; round++) {
                RawHttp.Answer up = RawHttp.exchange(from, server.port(), "POST", "/api/images", "image/png",
                        encode(gradient(400 + client, 300 + round % 100), "png"), 120_000);
                record(outcomes, up);
                uploads.add(RawHttp.statusName(up.status()), up.millis());
                Matcher id = ID.matcher(up.body());
                if (up.status() != 200 || !id.find()) {
                    sleep(1000);
                    continue;
                }
                images.incrementAndGet();
                for (int click = 0; click < 5 && System.nanoTime() < end; click++) {
                    RawHttp.Answer s = RawHttp.exchange(from, server.port(), "POST", "/api/images/" + id.group(1) + "/segment",
                            "application/json", ("{\"points\": [[" + random.nextInt(400) + ", " + random.nextInt(300)
                                    + "]], \"labels\": [1]}").getBytes(StandardCharsets.US_ASCII), 60_000);
                    record(outcomes, s);
                    segments.add(RawHttp.statusName(s.status()), s.millis());
                }
                record(outcomes, RawHttp.exchange(from, server.port(), "GET", "/api/images/" + id.group(1)
                        + "/embedding", null, null, 60_000));
            }
        });
        return String.format(Locale.ROOT, "%d images encoded; upload p50/p99 %.0f/%.0f ms (%s); segment p50/p99 "
                        + "%.0f/%.0f ms (%s)", images.get(), uploads.percentile(0.5), uploads.percentile(0.99),
                uploads.statuses(), segments.percentile(0.5), segments.percentile(0.99), segments.statuses());
    }

    // --- helpers ---

    /** Whole milliseconds, or a dash where there was no sample. */
    private static String millis(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.0f", value);
    }

    private String upload(ServerProcess server, BufferedImage image, int fromHost) {
        RawHttp.Answer answer = RawHttp.exchange(RawHttp.loopback(fromHost), server.port(), "POST", "/api/images",
                "image/png", encode(image, "png"), 120_000);
        Matcher id = ID.matcher(answer.body());
        if (!id.find()) {
            throw new IllegalStateException("upload failed: " + answer.status() + " " + answer.body());
        }
        return id.group(1);
    }

    private static void record(Outcomes outcomes, RawHttp.Answer answer) {
        outcomes.add(RawHttp.statusName(answer.status()), answer.millis());
    }

    @FunctionalInterface
    private interface Client {
        void run(int index) throws Exception;
    }

    private static void concurrently(int clients, Client client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int index = i;
                running.add(pool.submit(() -> {
                    client.run(index);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x + y) & 255));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET /health every 250 ms from its own address: the share answered 200 within a second, and latencies. */
    private static final class HealthProbe {
        private final int port;
        private final Outcomes answers = new Outcomes();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger ok = new AtomicInteger();
        private Thread thread;

        HealthProbe(int port) {
            this.port = port;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    RawHttp.Answer a = RawHttp.exchange(PROBE, port, "GET", "/health", null, null, 5_000);
                    answers.add(RawHttp.statusName(a.status()), a.millis());
                    if (a.status() == 200 && a.millis() < 1000) {
                        ok.incrementAndGet();
                    }
                    sleep(250);
                }
            }, "health-probe");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        String summary() {
            return String.format(Locale.ROOT, "%d/%d (p99 %.0f ms)", ok.get(), answers.requests(), answers.percentile(0.99));
        }
    }
}

package clickseg.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real server, as a user runs it: {@code java -jar server/target/clickseg-server.jar --port 0
 * --data <fresh temp folder>} in its own process with the real model, started once per test class.
 * The port it picked is read from its "listening on" log line; then /health must answer.
 * The jar's path comes from system property {@code clickseg.e2e.serverJar} (set by the pom).
 */
final class ClicksegServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+?:\\d+)");
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final Process process;
    private final Path dataDir;
    private final String baseUrl;
    private final StringBuffer log;

    private ClicksegServer(Process process, Path dataDir, String baseUrl, StringBuffer log) {
        this.process = process;
        this.dataDir = dataDir;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static ClicksegServer start() throws Exception {
        Path jar = Path.of(System.getProperty("clickseg.e2e.serverJar", "../server/target/clickseg-server.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar + ": build it first (mvn -B verify from the root "
                    + "builds it before these tests)");
        }
        Path dataDir = Files.createTempDirectory("clickseg-e2e-data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-jar", jar.toString(), "--port", "0", "--data", dataDir.toString())
                .directory(dataDir.toFile()) // anything it writes beside itself (crash logs) stays out of the sources
                .redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(m.group(1) + "/");
                    }
                }
            } catch (IOException ignored) {
                // the process ended; its exit is noticed below
            }
            listening.completeExceptionally(new IllegalStateException("the server exited before listening"));
        }, "clickseg-server-log");
        reader.setDaemon(true);
        reader.start();
        String baseUrl;
        try {
            baseUrl = listening.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            waitForHealth(baseUrl);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not start: " + e.getMessage() + "\n--- its output ---\n" + log, e);
        }
        return new ClicksegServer(process, dataDir, baseUrl, log);
    }

    private static void waitForHealth(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not accepting connections yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("/health did not answer 200 within " + STARTUP);
            }
            Thread.sleep(100); // polling another process before any story starts; stories never sleep
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Everything the server printed so far (for failure messages). */
    String log() {
        return log.toString();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

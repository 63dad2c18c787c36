package clickseg.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica of the server jar in its own JVM ({@code java -jar clickseg-server.jar --role … --port 0 …}) with the
 * environment given (AWS credentials for the bucket). The port is read from its "listening on" line; its output is
 * kept so a test can wait for a line ("took the encode job of image …") and count lines.
 */
final class ReplicaProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final String name;
    private final Process process;
    private final int port;
    private final List<String> log;

    private ReplicaProcess(String name, Process process, int port, List<String> log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ReplicaProcess start(String name, Map<String, String> env, String... flags) throws Exception {
        Path jar = Path.of(System.getProperty("clickseg.e2e.serverJar", "../server/target/clickseg-server.jar"))
                .toAbsolutePath().normalize();
        Path dataDir = Files.createTempDirectory("clickseg-replica-" + name);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", jar.toString(), "--port", "0", "--data", dataDir.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException(name + " exited: " + String.join("\n", log)));
        }, "replica-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            return new ReplicaProcess(name, process, port.get(180, TimeUnit.SECONDS), log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start: " + e.getMessage() + "\n" + String.join("\n", log), e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits (bounded) until a line of its output matches. */
    void awaitLine(Predicate<String> matches, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (countLines(matches) > 0) {
                return;
            }
            Thread.sleep(20); // watching another process's output
        }
        throw new AssertionError(name + " never printed the expected line:\n" + log());
    }

    long countLines(Predicate<String> matches) {
        synchronized (log) {
            return log.stream().filter(matches).count();
        }
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as when a machine dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(70, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

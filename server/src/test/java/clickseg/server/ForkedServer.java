package clickseg.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server in a JVM of its own with a stated heap ({@code -Xmx1g} as the attacker ran it), started
 * from the test class path: what "cannot run out of memory" has to be proved against. The class path goes in
 * the CLASSPATH variable, not on the command line (ONNX Runtime crashes on very long command lines).
 */
final class ForkedServer implements AutoCloseable {
    /** The start-up line, as text or inside a JSON log line (which escapes the slashes). */
    private static final Pattern LISTENING = Pattern.compile("listening on http:(?:\\\\?/){2}[^:]+:(\\d+)");

    private final Process process;
    private final int port;
    private final List<String> log;

    private ForkedServer(Process process, int port, List<String> log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ForkedServer start(String heap, Path data, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "--add-modules", "jdk.incubator.vector", "clickseg.server.Main", "--port", "0", "--data", data.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("the server exited: " + String.join("\n", log)));
        }, "forked-server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ForkedServer(process, port.get(120, TimeUnit.SECONDS), log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the forked server did not start: " + e.getMessage(), e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The process's peak resident memory (VmHWM), in MiB; -1 where /proc is not there. */
    long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** SIGTERM without waiting: what an orchestrator sends to stop a replica. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; its exit code, or -1 if it is still running after {@code seconds}. */
    int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

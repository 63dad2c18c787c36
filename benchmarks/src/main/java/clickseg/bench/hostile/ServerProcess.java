package clickseg.bench.hostile;

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

/** The server jar under test in its own JVM ({@code java -Xmx1g -jar …}) on loopback, with a fresh data folder. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;
    private final Path data;
    private final List<String> log;

    private ServerProcess(Process process, int port, Path data, List<String> log) {
        this.process = process;
        this.port = port;
        this.data = data;
        this.log = log;
    }

    static ServerProcess start(Path jar, String heap, List<String> flags) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("clickseg-hostile-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "--add-modules", "jdk.incubator.vector", "-jar", jar.toString(), "--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
        command.addAll(flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (log.size() < 100_000) {
                        log.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("the server exited"));
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, port.get(180, TimeUnit.SECONDS), data, log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not start: " + String.join("\n", log), e);
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

    /** Peak resident memory so far (VmHWM), MiB. */
    long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return -1;
    }

    long logLinesContaining(String text) {
        synchronized (log) {
            return log.stream().filter(l -> l.contains(text)).count();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package clickseg.testservers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server for tests: S3Proxy with its filesystem backend (each bucket a folder), in a JVM of
 * its own on a free loopback port, signing checked (AWS v2 or v4) against a fixed test identity.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "clickseg-test";
    public static final String SECRET_KEY = "clickseg-test-secret";

    private final Process process;
    private final int port;
    private final Path root;
    private final List<String> log;

    private S3ProxyServer(Process process, int port, Path root, List<String> log) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.log = log;
    }

    /** Starts S3Proxy over {@code root} with the given buckets already made. */
    public static S3ProxyServer start(Path root, String... buckets) throws IOException, InterruptedException {
        Files.createDirectories(root);
        for (String bucket : buckets) {
            Files.createDirectories(root.resolve(bucket));
        }
        int port = freePort();
        Path properties = root.resolveSibling(root.getFileName() + ".s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                "jclouds.filesystem.basedir=" + root.toAbsolutePath(), ""));
        String classpath;
        try (InputStream in = S3ProxyServer.class.getResourceAsStream("s3proxy.classpath")) {
            if (in == null) {
                throw new IllegalStateException("s3proxy.classpath is missing: build the test-servers module");
            }
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "org.gaul.s3proxy.Main", "--properties", properties.toString())
                .redirectErrorStream(true);
        builder.environment().put("CLASSPATH", classpath);
        Process process = builder.start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                }
            } catch (IOException e) {
                // ended
            }
        }, "s3proxy-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + String.join("\n", log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new S3ProxyServer(process, port, root, log);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen within 60 s: " + String.join("\n", log));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path root() {
        return root;
    }

    /** Environment variables that make the AWS SDK's default chain sign as the test identity. */
    public Map<String, String> credentialsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    /** The same as system properties, for a store opened inside the test JVM. */
    public void useCredentialsInThisJvm() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.region", "us-east-1");
    }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

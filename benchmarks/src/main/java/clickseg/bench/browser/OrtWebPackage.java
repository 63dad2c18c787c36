package clickseg.bench.browser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * onnxruntime-web 1.30.0, the peer, fetched with the ordinary npm client into the cache
 * ({@code <cache>/npm/onnxruntime-web-1.30.0/package/dist}), checked by sha256 and never committed.
 */
final class OrtWebPackage {
    static final String VERSION = "1.30.0";
    static final String TARBALL_SHA256 = "d2228df7e4616bc3348bf504ee888f3bec43789a273f0a63f3e68d203ce3bf71";
    /** What the benchmark page loads: the wasm-only bundle and its threaded SIMD runtime. */
    static final List<String> SERVED_FILES = List.of(
            "ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm");

    private OrtWebPackage() {
    }

    /** The dist folder, fetched and unpacked on first use. */
    static Path ensure(Path cacheRoot) throws IOException, InterruptedException {
        Path folder = cacheRoot.resolve("npm");
        Path unpacked = folder.resolve("onnxruntime-web-" + VERSION);
        Path dist = unpacked.resolve("package").resolve("dist");
        if (SERVED_FILES.stream().allMatch(f -> Files.isRegularFile(dist.resolve(f)))) {
            return dist;
        }
        Files.createDirectories(folder);
        Path tarball = folder.resolve("onnxruntime-web-" + VERSION + ".tgz");
        if (!Files.isRegularFile(tarball) || !TARBALL_SHA256.equals(sha256(tarball))) {
            run(folder, "npm", "pack", "onnxruntime-web@" + VERSION, "--silent");
        }
        String actual = sha256(tarball);
        if (!TARBALL_SHA256.equals(actual)) {
            throw new IOException("npm gave onnxruntime-web-" + VERSION + ".tgz with sha256 " + actual
                    + ", expected " + TARBALL_SHA256 + "; delete " + tarball + " and retry");
        }
        Files.createDirectories(unpacked);
        run(unpacked, "tar", "xzf", tarball.toString());
        for (String f : SERVED_FILES) {
            if (!Files.isRegularFile(dist.resolve(f))) {
                throw new IOException("onnxruntime-web " + VERSION + " has no dist/" + f);
            }
        }
        return dist;
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed in " + directory + ": " + new String(output));
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

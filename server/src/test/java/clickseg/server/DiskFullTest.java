package clickseg.server;

import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A full disk (issue: 500 "No space left on device", an original kept without its embedding). Runs on a
 * small tmpfs; where mounting is not allowed (not root, a container without the capability) it is skipped
 * and says so. CI (.ci/run) runs as root.
 */
class DiskFullTest {

    @Test
    void a_full_disk_answers_507_keeps_nothing_of_the_upload_and_recovers_when_space_returns(@TempDir Path tmp)
            throws Exception {
        Path mount = tmp.resolve("small-disk");
        java.nio.file.Files.createDirectories(mount);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString()),
                "skipped: cannot mount a tmpfs here (needs root); the disk-full behaviour is untested on this machine");
        try {
            Path data = mount.resolve("data");
            try (TestServer server = TestServer.start(data)) {
                String first = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
                byte[] second = TestImages.encode(TestImages.gradient(65, 48), "png");
                HttpResponse<byte[]> full = server.postRaw(second, "image/png"); // its 4 MiB embedding does not fit
                assertEquals(507, full.statusCode(), TestServer.text(full));
                assertEquals("insufficient_storage", TestServer.json(full).get("error").getAsString());
                String secondId = Sha256.hex(second);
                List<Path> files = server.storedFiles();
                assertFalse(files.stream().anyMatch(p -> p.toString().contains(secondId)),
                        "nothing of the refused upload is kept: " + files);
                assertEquals(200, server.get("/api/images/" + first).statusCode(), "the first image is intact");
                assertEquals(200, server.get("/health").statusCode());

                Assumptions.assumeTrue(run("mount", "-o", "remount,size=20m", mount.toString()), "cannot grow the tmpfs");
                HttpResponse<byte[]> again = server.postRaw(second, "image/png");
                assertEquals(200, again.statusCode(), "with space back the same upload succeeds: " + TestServer.text(again));
                assertEquals(200, server.get("/api/images/" + secondId + "/embedding").statusCode());
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

package clickseg.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The default build carries the CPU ONNX Runtime only: asking for CUDA must fail in one clear line. */
class CudaDeviceTest {

    @Test
    void cuda_on_a_cpu_only_build_refuses_to_start_in_one_line(@TempDir Path data) {
        assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this build has the CUDA provider");
        Server.StartupException e = assertThrows(Server.StartupException.class,
                () -> TestServer.start(data, Map.of(), "--device", "cuda"));
        assertEquals("--device cuda: this build's ONNX Runtime has no CUDA execution provider (it has [CPU]); "
                + "rebuild with `mvn -Pcuda package` or use --device cpu", e.getMessage());
    }

    @Test
    void the_main_class_prints_that_line_and_exits_with_status_1(@TempDir Path data) throws Exception {
        assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this build has the CUDA provider");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The class path goes through CLASSPATH, not -cp: ONNX Runtime 1.29's native start-up crashes (SIGSEGV)
        // in processes whose command line exceeds about 4 KB, and the test class path is longer than that.
        ProcessBuilder builder = new ProcessBuilder(java.toString(),
                "clickseg.server.Main", "--device", "cuda", "--port", "0", "--data", data.toString())
                .redirectErrorStream(true);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue(), output);
        List<String> lines = output.lines().filter(l -> l.startsWith("clickseg:")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).contains("no CUDA execution provider"), output);
    }

    @Test
    void with_cpu_fallback_asked_for_the_server_encodes_on_the_cpu(@TempDir Path data) throws Exception {
        assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this build has the CUDA provider");
        try (TestServer server = TestServer.start(data, Map.of("CLICKSEG_CPU_FALLBACK", "true"), "--device", "cuda")) {
            assertEquals("cpu", server.health().get("device").getAsString());
        }
    }
}

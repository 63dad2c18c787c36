package clickseg.server;

import clickseg.server.model.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaults_are_safe_loopback_port_8080_and_a_data_folder_here() {
        ServerConfig c = ServerConfig.parse(new String[0], Map.of(), 2);
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(Path.of("data"), c.dataDir());
        assertNull(c.modelManifest());
        assertEquals(Device.CPU, c.device());
        assertEquals(2, c.ortThreads(), "ONNX Runtime gets every core");
        assertEquals(1, c.encodeWorkers());
        assertEquals(50L << 20, c.maxUploadBytes());
    }

    @Test
    void environment_variables_set_options_and_flags_win_over_them() {
        Map<String, String> env = Map.of("CLICKSEG_PORT", "9000", "CLICKSEG_HOST", "0.0.0.0",
                "CLICKSEG_STORE_BYTES", "512m", "CLICKSEG_DEVICE", "cuda", "CLICKSEG_CACHE", "/tmp/cache");
        ServerConfig c = ServerConfig.parse(new String[]{"--port", "9100", "--device=cpu", "--cpu-fallback"}, env, 8);
        assertEquals(9100, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(512L << 20, c.storeBytes());
        assertEquals(Device.CPU, c.device());
        assertTrue(c.cpuFallback());
        assertEquals(Path.of("/tmp/cache"), c.cacheDir());
        assertEquals(8, c.ortThreads());
    }

    @Test
    void workers_default_to_the_cores_left_after_each_encodings_threads() {
        ServerConfig c = ServerConfig.parse(new String[]{"--ort-threads", "4"}, Map.of(), 16);
        assertEquals(4, c.encodeWorkers());
    }

    @Test
    void bad_values_are_refused_naming_the_flag_and_the_variable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[0], Map.of("CLICKSEG_PORT", "eighty"), 2));
        assertTrue(e.getMessage().contains("--port / CLICKSEG_PORT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(new String[]{"--port", "70000"}, Map.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(new String[]{"--device", "tpu"}, Map.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(new String[]{"--colour"}, Map.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(new String[]{"--data"}, Map.of(), 2));
    }
}

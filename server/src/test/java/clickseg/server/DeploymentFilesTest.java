package clickseg.server;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml cannot run here (no Docker engine in CI), so what can be checked without one is: every
 * clickseg service's command and environment go through the server's own flag parser, the three roles are there,
 * and the names it points at (the database host, the bucket, the lifecycle rules' prefixes) are the ones the
 * file itself defines.
 */
class DeploymentFilesTest {
    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(COMPOSE));
        return (Map<String, Object>) file.get("services");
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_server_in_the_compose_file_starts_with_flags_the_server_accepts_and_all_three_roles_are_there()
            throws IOException {
        Map<String, Object> services = services();
        Set<ServerConfig.Role> roles = EnumSet.noneOf(ServerConfig.Role.class);
        List<ServerConfig> configs = new ArrayList<>();
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            Map<String, Object> service = (Map<String, Object>) entry.getValue();
            List<String> command = (List<String>) service.get("command");
            if (command == null || !command.contains("clickseg-server.jar")) {
                continue;
            }
            List<String> flags = command.subList(command.indexOf("clickseg-server.jar") + 1, command.size());
            Map<String, String> env = new HashMap<>();
            ((Map<String, Object>) service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            ServerConfig config = ServerConfig.parse(flags.toArray(String[]::new), env, 2);
            configs.add(config);
            roles.add(config.role());
            int modules = command.indexOf("--add-modules");
            assertTrue(modules >= 0 && command.get(modules + 1).equals("jdk.incubator.vector"),
                    entry.getKey() + ": the decoder's Vector API kernels need --add-modules jdk.incubator.vector");
            if (config.role() == ServerConfig.Role.API) {
                assertEquals("0.0.0.0", config.host(), entry.getKey() + " must listen beyond its container");
                assertTrue(service.containsKey("ports"), entry.getKey() + " is reachable");
            }
        }
        assertEquals(EnumSet.of(ServerConfig.Role.API, ServerConfig.Role.ENCODER), roles);
        assertTrue(configs.stream().filter(c -> c.role() == ServerConfig.Role.API).count() >= 2, "two API replicas");
        for (ServerConfig config : configs) {
            assertTrue(config.jsonLogs(), "replicas log JSON for the collector");
            String dbHost = config.shareDb().replaceFirst("jdbc:postgresql://([^:/]+).*", "$1");
            assertTrue(services.containsKey(dbHost), "the database host " + dbHost + " is a service of the file");
            assertTrue(services.containsKey(config.s3Endpoint().getHost()), "the S3 endpoint is a service of the file");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_bucket_service_makes_the_bucket_the_servers_use_and_its_lifecycle_rules_match_their_prefix()
            throws IOException {
        Map<String, Object> services = services();
        Map<String, Object> api = (Map<String, Object>) services.get("api-a");
        String store = String.valueOf(((Map<String, Object>) api.get("environment")).get("CLICKSEG_STORE"));
        String bucket = store.replaceFirst("s3://([^/]+)/?(.*)", "$1");
        String prefix = store.replaceFirst("s3://([^/]+)/?(.*)", "$2");
        String script = String.join("\n", (List<String>) ((Map<String, Object>) services.get("bucket")).get("command"));
        assertTrue(script.contains("mc mb --ignore-existing local/" + bucket), script);
        assertTrue(script.contains("--prefix " + prefix + "/uploads/"), script);
        assertTrue(script.contains("--prefix " + prefix + "/previews/"), script);
        assertTrue(!script.contains("/images/") && !script.contains("/embeddings/"),
                "images and embeddings are evicted from PostgreSQL, which knows the shared ones: no lifecycle rule");
    }
}

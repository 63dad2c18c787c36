package clickseg.server.web;

import clickseg.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbedOriginsTest {

    @Test
    void by_default_any_site_may_embed_and_remote_images_are_off() {
        ServerConfig config = ServerConfig.parse(new String[0], Map.of(), 2);
        assertTrue(config.embedOrigins().any());
        assertEquals("*", config.embedOrigins().frameAncestors());
        assertTrue(config.embedOrigins().allows("https://anything.example"));
        assertFalse(config.remoteImages());
    }

    @Test
    void a_list_is_normalized_the_way_browsers_send_origins() {
        EmbedOrigins origins = EmbedOrigins.parse(" https://Blog.Example , http://localhost:8081,https://shop.example:443 ");
        assertFalse(origins.any());
        assertEquals(List.of("https://blog.example", "http://localhost:8081", "https://shop.example"), origins.origins());
        assertEquals("'self' https://blog.example http://localhost:8081 https://shop.example", origins.frameAncestors());
        assertTrue(origins.allows("https://blog.example"));
        assertTrue(origins.allows("http://localhost:8081"));
        assertTrue(origins.allows("https://shop.example"));
        assertFalse(origins.allows("http://blog.example"), "another scheme is another origin");
        assertFalse(origins.allows("http://localhost:8082"), "another port is another origin");
        assertFalse(origins.allows("https://evil.blog.example"));
        assertFalse(origins.allows("null"), "sandboxed frames and file: pages send \"null\"");
        assertFalse(origins.allows(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://blog.example/", "https://blog.example/path", "blog.example", "ftp://blog.example",
            "https://", "https://user@blog.example", "https://a.example,,https://b.example", "*,https://a.example",
            "https://blog.example?x=1", "https://bad host.example", ""})
    void a_malformed_origin_stops_startup_with_one_line_naming_the_option(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[]{"--embed-origins", value}, Map.of(), 2));
        assertTrue(e.getMessage().startsWith("--embed-origins / CLICKSEG_EMBED_ORIGINS: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void the_environment_sets_both_options_and_flags_win() {
        ServerConfig fromEnv = ServerConfig.parse(new String[0],
                Map.of("CLICKSEG_EMBED_ORIGINS", "https://a.example", "CLICKSEG_REMOTE_IMAGES", "true"), 2);
        assertEquals(List.of("https://a.example"), fromEnv.embedOrigins().origins());
        assertTrue(fromEnv.remoteImages());
        ServerConfig flags = ServerConfig.parse(new String[]{"--embed-origins=*", "--remote-images=false"},
                Map.of("CLICKSEG_EMBED_ORIGINS", "https://a.example", "CLICKSEG_REMOTE_IMAGES", "true"), 2);
        assertTrue(flags.embedOrigins().any());
        assertFalse(flags.remoteImages());
        assertTrue(ServerConfig.parse(new String[]{"--remote-images"}, Map.of(), 2).remoteImages());
    }
}

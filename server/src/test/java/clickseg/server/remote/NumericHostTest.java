package clickseg.server.remote;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue: "0177.0.0.1" was read as 177.0.0.1 (curl and browsers read 127.0.0.1) and fetched from. */
class NumericHostTest {

    @Test
    void octal_hex_short_and_padded_ipv4_forms_are_refused_before_any_lookup() {
        RemoteImageFetcher fetcher = new RemoteImageFetcher(PublicAddresses.ONLY, 1 << 20, RemoteImageFetcher.Timeouts.DEFAULT,
                host -> {
                    throw new AssertionError("looked up " + host);
                });
        for (String host : List.of("0177.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "0x7f000001", "127.000.0.1",
                "010.0.0.1", "1.2.3.256", "1.2.3.4.5")) {
            RemoteFetchException e = assertThrows(RemoteFetchException.class,
                    () -> fetcher.fetch("http://" + host + "/a.png"), host);
            assertEquals(RemoteFetchException.Kind.REFUSED, e.kind(), host);
        }
    }

    @Test
    void canonical_dotted_quads_and_names_are_not_numeric_forms() {
        for (String host : List.of("93.184.216.34", "8.8.8.8", "0.0.0.0", "example.com", "1.2.3.example", "[::1]", "0x.example")) {
            assertFalse(RemoteImageFetcher.isLooseIpv4(host), host);
        }
    }
}

package clickseg.server.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetcher against a real HTTP server on loopback. Loopback is refused in production, so these tests use a
 * policy that allows exactly 127.0.0.1 and otherwise defers to the production policy.
 */
class RemoteImageFetcherTest {
    private static final int LIMIT = 100_000;
    private static final AddressPolicy LOOPBACK_TOO =
            address -> address.isLoopbackAddress() ? null : PublicAddresses.ONLY.refusal(address);
    private static final byte[] BODY = randomBytes(50_000);

    static HttpServer remote;
    static String base;
    static final List<String> requested = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRemote() throws IOException {
        remote = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + remote.getAddress().getPort();
        remote.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/sized" -> send(exchange, 200, BODY.length, BODY);
                case "/chunked" -> send(exchange, 200, 0, BODY); // 0: chunked transfer encoding
                case "/exactly-the-limit" -> send(exchange, 200, LIMIT, new byte[LIMIT]);
                case "/declared-huge" -> send(exchange, 200, 50L << 30, new byte[0]);
                case "/streamed-huge" -> send(exchange, 200, 0, new byte[LIMIT * 3]);
                case "/missing" -> send(exchange, 404, -1, null);
                case "/redirect-relative" -> redirect(exchange, "/sized");
                case "/redirect-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
                case "/redirect-private" -> redirect(exchange, "http://10.0.0.1/image.png");
                case "/redirect-file" -> redirect(exchange, "file:///etc/passwd");
                case "/redirect-loop" -> redirect(exchange, "/redirect-loop");
                default -> send(exchange, 500, -1, null);
            }
        });
        remote.start();
    }

    @AfterAll
    static void stopRemote() {
        remote.stop(0);
    }

    private static void send(HttpExchange exchange, int status, long length, byte[] body) throws IOException {
        try {
            exchange.sendResponseHeaders(status, length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the fetcher hung up on purpose (oversized answers)
        } finally {
            exchange.close();
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, -1, null);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(5).nextBytes(bytes);
        return bytes;
    }

    private static RemoteImageFetcher fetcher(AddressPolicy policy) {
        return new RemoteImageFetcher(policy, LIMIT);
    }

    @Test
    void a_body_with_content_length_arrives_byte_for_byte() throws Exception {
        assertArrayEquals(BODY, fetcher(LOOPBACK_TOO).fetch(base + "/sized"));
    }

    @Test
    void a_chunked_body_arrives_byte_for_byte() throws Exception {
        assertArrayEquals(BODY, fetcher(LOOPBACK_TOO).fetch(base + "/chunked"));
    }

    @Test
    void a_body_of_exactly_the_limit_is_accepted() throws Exception {
        assertEquals(LIMIT, fetcher(LOOPBACK_TOO).fetch(base + "/exactly-the-limit").length);
    }

    @Test
    void the_production_policy_refuses_the_loopback_server_before_connecting() {
        requested.clear();
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(PublicAddresses.ONLY).fetch(base + "/sized"));
        assertEquals(RemoteFetchException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertEquals(List.of(), requested, "nothing reached the server");
    }

    @Test
    void a_name_that_resolves_to_loopback_is_refused_like_the_address() {
        RemoteFetchException e = assertThrows(RemoteFetchException.class,
                () -> fetcher(PublicAddresses.ONLY).fetch("http://localhost:" + remote.getAddress().getPort() + "/sized"));
        assertEquals(RemoteFetchException.Kind.REFUSED, e.kind());
    }

    @Test
    void the_connection_goes_to_the_vetted_address_and_the_name_is_resolved_once() throws Exception {
        // A "rebinding" resolver: the allowed address the first time, a private one after. A fetcher that
        // resolved again to connect would get the private one; this one connects to what it checked.
        int[] resolutions = {0};
        RemoteImageFetcher.Resolver rebinding = host -> {
            resolutions[0]++;
            return new InetAddress[]{resolutions[0] == 1 ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName("10.0.0.1")};
        };
        RemoteImageFetcher fetcher = new RemoteImageFetcher(LOOPBACK_TOO, LIMIT,
                new RemoteImageFetcher.Timeouts(2_000, 2_000, 5_000), rebinding);
        byte[] body = fetcher.fetch("http://images.example:" + remote.getAddress().getPort() + "/sized");
        assertArrayEquals(BODY, body);
        assertEquals(1, resolutions[0], "the vetted answer is the one connected to");
    }

    @Test
    void when_a_name_has_public_and_private_addresses_only_a_public_one_is_used() throws Exception {
        RemoteImageFetcher.Resolver mixed = host -> new InetAddress[]{
                InetAddress.getByName("10.0.0.1"), InetAddress.getByName("127.0.0.1")};
        RemoteImageFetcher fetcher = new RemoteImageFetcher(LOOPBACK_TOO, LIMIT, RemoteImageFetcher.Timeouts.DEFAULT, mixed);
        assertArrayEquals(BODY, fetcher.fetch("http://mixed.example:" + remote.getAddress().getPort() + "/sized"));
    }

    @Test
    void a_relative_redirect_is_followed() throws Exception {
        assertArrayEquals(BODY, fetcher(LOOPBACK_TOO).fetch(base + "/redirect-relative"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/redirect-metadata", "/redirect-private", "/redirect-file"})
    void a_redirect_to_a_private_address_or_another_scheme_is_refused(String path) {
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(base + path));
        assertEquals(RemoteFetchException.Kind.REFUSED, e.kind(), e.getMessage());
    }

    @Test
    void a_redirect_loop_stops_after_three_redirects() {
        requested.clear();
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(base + "/redirect-loop"));
        assertEquals(RemoteFetchException.Kind.FAILED, e.kind());
        assertEquals(1 + RemoteImageFetcher.MAX_REDIRECTS, requested.size(), requested.toString());
    }

    @Test
    void a_declared_length_over_the_limit_is_refused_without_reading_the_body() {
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(base + "/declared-huge"));
        assertEquals(RemoteFetchException.Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains(Long.toString(50L << 30)), e.getMessage());
    }

    @Test
    void a_streamed_body_over_the_limit_is_abandoned_once_it_passes_the_limit() {
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(base + "/streamed-huge"));
        assertEquals(RemoteFetchException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void an_error_status_is_a_failed_fetch_naming_the_status() {
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(base + "/missing"));
        assertEquals(RemoteFetchException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/a.png", "gopher://example.com:70/1", "jar:file:/x.jar!/a.png",
            "data:image/png;base64,AAAA", "javascript:alert(1)", "//example.com/a.png", "/api/images", "http://", "http:///a.png",
            "http://user:secret@example.com/a.png", "http://exa mple.com/a.png", "not a url", "http://example.com:99999/a.png",
            "http://example.com:0/a.png"})
    void urls_other_than_plain_http_and_https_are_refused_before_any_connection(String url) {
        RemoteFetchException e = assertThrows(RemoteFetchException.class, () -> fetcher(LOOPBACK_TOO).fetch(url));
        assertEquals(RemoteFetchException.Kind.REFUSED, e.kind(), url + ": " + e.getMessage());
    }

    @Test
    void a_server_that_accepts_and_never_answers_times_out() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (IOException ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            RemoteImageFetcher fetcher = new RemoteImageFetcher(LOOPBACK_TOO, LIMIT,
                    new RemoteImageFetcher.Timeouts(1_000, 300, 1_000), InetAddress::getAllByName);
            long start = System.nanoTime();
            RemoteFetchException e = assertThrows(RemoteFetchException.class,
                    () -> fetcher.fetch("http://127.0.0.1:" + silent.getLocalPort() + "/slow.png"));
            assertEquals(RemoteFetchException.Kind.FAILED, e.kind());
            assertTrue(e.getMessage().contains("in time"), e.getMessage());
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "the read timeout ended it");
            silent.close();
            acceptor.join(1_000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}

package clickseg.server.remote;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS while connecting to a vetted address: the socket goes to the address the fetcher checked, yet the
 * certificate must still name the host of the URL. A local HTTPS server with a certificate for
 * "images.test" only (made with keytool for this run) stands in for a remote site; a stand-in resolver says
 * where images.test is.
 */
class RemoteImageOverTlsTest {
    private static final char[] PASSWORD = "clickseg-test".toCharArray();
    private static final byte[] BODY = "not really a png, the fetcher does not care".getBytes();
    private static final AddressPolicy LOOPBACK_TOO =
            address -> address.isLoopbackAddress() ? null : PublicAddresses.ONLY.refusal(address);
    private static final RemoteImageFetcher.Resolver IMAGES_TEST_IS_LOOPBACK =
            host -> host.equals("images.test") ? new InetAddress[]{InetAddress.getLoopbackAddress()} : InetAddress.getAllByName(host);

    @TempDir
    static Path keys;
    static HttpsServer remote;
    static int port;
    static SSLSocketFactory trustingTheTestCertificate;

    @BeforeAll
    static void startRemote() throws Exception {
        Path store = keys.resolve("images-test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "images", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=images.test", "-ext", "san=dns:images.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool: " + output);

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        trustingTheTestCertificate = clientTls.getSocketFactory();

        remote = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        remote.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        remote.createContext("/photo.png", exchange -> {
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        remote.start();
        port = remote.getAddress().getPort();
    }

    @AfterAll
    static void stopRemote() {
        remote.stop(0);
    }

    private static RemoteImageFetcher fetcher(SSLSocketFactory tls) {
        return new RemoteImageFetcher(LOOPBACK_TOO, 1 << 20, RemoteImageFetcher.Timeouts.DEFAULT, IMAGES_TEST_IS_LOOPBACK, tls);
    }

    @Test
    void a_trusted_certificate_for_the_url_host_lets_the_image_through() throws Exception {
        assertArrayEquals(BODY, fetcher(trustingTheTestCertificate).fetch("https://images.test:" + port + "/photo.png"));
    }

    @Test
    void the_certificate_must_name_the_url_host_even_though_the_socket_goes_to_an_address() {
        // Same server, same trusted certificate, but the URL names the address: the certificate does not.
        RemoteFetchException e = assertThrows(RemoteFetchException.class,
                () -> fetcher(trustingTheTestCertificate).fetch("https://127.0.0.1:" + port + "/photo.png"));
        assertEquals(RemoteFetchException.Kind.FAILED, e.kind());
    }

    @Test
    void a_certificate_the_jdk_does_not_trust_is_refused() {
        RemoteFetchException e = assertThrows(RemoteFetchException.class,
                () -> fetcher((SSLSocketFactory) SSLSocketFactory.getDefault()).fetch("https://images.test:" + port + "/photo.png"));
        assertEquals(RemoteFetchException.Kind.FAILED, e.kind());
        assertTrue(List.of("certification", "certificate", "PKIX").stream().anyMatch(e.getMessage()::contains), e.getMessage());
    }
}

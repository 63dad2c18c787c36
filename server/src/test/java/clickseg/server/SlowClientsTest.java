package clickseg.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients (issue: ~250 connections each sending a body byte every 5 s took every request thread and
 * /health timed out for a minute). The attackers connect from other loopback addresses (127.0.0.2…) so the
 * per-address cap and the thread limits can be told apart; /health is asked from 127.0.0.1.
 */
class SlowClientsTest {
    private static final int SLOW_CONNECTIONS = 300;
    private static final int ATTACKER_ADDRESSES = 30; // 10 connections each: under the per-address cap
    private static final long ATTACK_NANOS = 30_000_000_000L;

    @Test
    void health_answers_within_a_second_throughout_300_slow_request_bodies(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) {
            int port = server.server.port();
            List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong reconnects = new AtomicLong();
            Thread attacker = new Thread(() -> {
                Socket[] slow = new Socket[SLOW_CONNECTIONS];
                long end = System.nanoTime() + ATTACK_NANOS;
                for (int tick = 0; attacking.get() && System.nanoTime() < end; tick++) {
                    for (int i = 0; i < slow.length && attacking.get(); i++) {
                        try {
                            if (slow[i] == null || slow[i].isClosed()) { // cut off by the server: come back
                                slow[i] = slowUpload(port, attackerAddress(i));
                                sockets.add(slow[i]);
                                reconnects.incrementAndGet();
                            } else if (tick % 5 == 0) { // one byte every 5 s
                                slow[i].getOutputStream().write('x');
                            }
                        } catch (IOException e) {
                            closeQuietly(slow[i]);
                            slow[i] = null;
                        }
                    }
                    sleep(1000);
                }
            }, "slow-bodies");
            attacker.start();
            Thread.sleep(2000); // let the slow connections take what they can
            List<Long> millis = new ArrayList<>();
            int failures = 0;
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            long end = System.nanoTime() + ATTACK_NANOS - 4_000_000_000L;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                int status = healthStatus(port);
                long took = (System.nanoTime() - t0) / 1_000_000;
                millis.add(took);
                if (status != 200) {
                    failures++;
                    statuses.merge(status, 1, Integer::sum);
                }
                Thread.sleep(100);
            }
            attacking.set(false);
            attacker.join();
            sockets.forEach(SlowClientsTest::closeQuietly);
            Collections.sort(millis);
            long p99 = millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
            System.out.println("slow bodies: /health " + millis.size() + " requests, p50 " + millis.get(millis.size() / 2)
                    + " ms, p99 " + p99 + " ms, max " + millis.get(millis.size() - 1) + " ms, failures " + failures
                    + " " + statuses + ", slow connections opened " + reconnects.get());
            assertEquals(0, failures, "every /health answered 200");
            assertTrue(p99 < 1000, "/health p99 " + p99 + " ms");
            assertTrue(reconnects.get() >= SLOW_CONNECTIONS, "the attack really opened its connections");
        }
    }

    @Test
    void a_client_address_past_its_connection_limit_is_disconnected_at_once(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--max-connections-per-address", "4")) {
            int port = server.server.port();
            InetAddress from = InetAddress.getByName("127.0.0.7");
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(connect(port, from));
                }
                Thread.sleep(200);
                try (Socket extra = connect(port, from)) {
                    extra.setSoTimeout(5000);
                    long t0 = System.nanoTime();
                    int first;
                    try {
                        extra.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        first = extra.getInputStream().read();
                    } catch (IOException e) {
                        first = -1; // reset: closed just the same
                    }
                    assertEquals(-1, first, "the fifth connection is closed, not served");
                    assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "closed at once, not after a timeout");
                }
                for (Socket s : held) { // the first four still work
                    assertEquals(200, healthStatus(s));
                }
                assertEquals(200, healthStatus(port), "other addresses are unaffected");
            } finally {
                held.forEach(SlowClientsTest::closeQuietly);
            }
        }
    }

    @Test
    void a_body_slower_than_the_minimum_rate_is_cut_off_within_seconds(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) {
            try (Socket slow = slowUpload(server.server.port(), InetAddress.getByName("127.0.0.3"))) {
                slow.setSoTimeout(500);
                long t0 = System.nanoTime();
                String answer = null;
                while (answer == null && System.nanoTime() - t0 < 40_000_000_000L) {
                    try {
                        slow.getOutputStream().write('x');
                    } catch (IOException e) {
                        answer = "(closed)";
                        break;
                    }
                    answer = readSome(slow);
                    Thread.sleep(1000);
                }
                long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                System.out.println("a body at 1 byte/s ended after " + seconds + " s: " + answer);
                assertTrue(answer != null, "the trickling request never ended");
                assertTrue(seconds <= 25, "ended after " + seconds + " s");
                assertTrue(answer.startsWith("HTTP/1.1 408"), "answered 408, not a server error: " + answer);
            }
        }
    }

    private static String readSome(Socket socket) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "(closed)" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return "(reset)";
        }
    }

    private static InetAddress attackerAddress(int connection) {
        int host = 2 + connection % ATTACKER_ADDRESSES;
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket connect(int port, InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return socket;
    }

    /** A connection that sent an upload's headers, announcing a megabyte it will never send at speed. */
    static Socket slowUpload(int port, InetAddress from) throws IOException {
        Socket socket = connect(port, from);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                + "Content-Length: 1000000\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** GET /health on a new connection from 127.0.0.1; its status, or -1 when it timed out or failed. */
    static int healthStatus(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(5000);
            return healthStatus(socket);
        } catch (IOException e) {
            System.out.println("/health failed: " + e);
            return -1;
        }
    }

    private static int healthStatus(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        String[] parts = line.toString().trim().split(" ");
        int status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        int length = 0;
        String header;
        while (!(header = readLine(in)).isEmpty()) { // drain the answer so the connection can be reused
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

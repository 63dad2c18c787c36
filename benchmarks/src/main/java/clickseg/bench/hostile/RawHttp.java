package clickseg.bench.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange per connection from a chosen loopback source address (127.0.0.x): each simulated
 * client really is another address to the server, as distinct hosts on the Internet would be (the JDK's
 * HttpClient cannot choose its source address).
 */
final class RawHttp {
    record Answer(int status, String body, double millis) {
    }

    private RawHttp() {
    }

    static InetAddress loopback(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer; status -1 = timed out, -2 = connection failed or reset. */
    static Answer exchange(InetAddress from, int port, String method, String path, String contentType, byte[] body,
                           int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            String[] parts = statusLine.split(" ");
            int status = parts.length > 1 ? Integer.parseInt(parts[1]) : -2;
            long length = -1;
            String header;
            while (!(header = line(in)).isEmpty()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                }
            }
            byte[] answer = length >= 0 ? in.readNBytes((int) Math.min(length, 64 << 20)) : in.readAllBytes();
            return new Answer(status, new String(answer, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1e6);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "", (System.nanoTime() - start) / 1e6);
        } catch (IOException | RuntimeException e) {
            return new Answer(-2, String.valueOf(e), (System.nanoTime() - start) / 1e6);
        }
    }

    static String statusName(int status) {
        return status == -1 ? "timeout" : status == -2 ? "error" : Integer.toString(status);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("closed before an answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
}

package clickseg.server.remote;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fetches an image by URL for a client without becoming an open proxy into the server's network.
 *
 * <p>How: the host name is resolved here, every address is judged by the {@link AddressPolicy}, and the
 * socket connects to the vetted address itself, so nothing resolves the name a second time (a DNS answer
 * that changes between the check and the connection, "DNS rebinding", cannot slip in a private address).
 * HTTPS still verifies the certificate against the host name. That is why this is a small HTTP/1.1 GET over a
 * plain socket rather than java.net.http.HttpClient, which always resolves names itself.
 *
 * <p>Redirects are followed by hand, at most {@link #MAX_REDIRECTS}, each target checked like the first URL.
 * The body is read while counting and abandoned as soon as it passes the byte limit; a declared
 * Content-Length over the limit is refused before any of the body is read. Connecting, each read, and the
 * whole fetch have time limits.
 */
public final class RemoteImageFetcher {
    static final int MAX_REDIRECTS = 3;
    private static final int MAX_HEAD_BYTES = 64 << 10;

    /** Time limits in milliseconds. */
    public record Timeouts(int connectMillis, int readMillis, long totalMillis) {
        public static final Timeouts DEFAULT = new Timeouts(5_000, 10_000, 30_000);
    }

    /** Host name to addresses; a parameter only so a test can stand in for DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final long maxBytes;
    private final Timeouts timeouts;
    private final Resolver resolver;
    private final SSLSocketFactory tlsSockets;

    public RemoteImageFetcher(AddressPolicy policy, long maxBytes) {
        this(policy, maxBytes, Timeouts.DEFAULT, InetAddress::getAllByName);
    }

    public RemoteImageFetcher(AddressPolicy policy, long maxBytes, Timeouts timeouts, Resolver resolver) {
        this(policy, maxBytes, timeouts, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** @param tlsSockets TLS with the JDK's trusted roots in production; a test may trust its own certificate */
    public RemoteImageFetcher(AddressPolicy policy, long maxBytes, Timeouts timeouts, Resolver resolver,
                              SSLSocketFactory tlsSockets) {
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.timeouts = timeouts;
        this.resolver = resolver;
        this.tlsSockets = tlsSockets;
    }

    /** The body of a 200 answer to GET {@code url}, following up to {@link #MAX_REDIRECTS} redirects. */
    public byte[] fetch(String url) throws RemoteFetchException {
        long deadline = System.nanoTime() + timeouts.totalMillis() * 1_000_000L;
        URI uri = checkedUri(url, null);
        for (int hop = 0; ; hop++) {
            Answer answer = get(uri, deadline);
            if (answer.status() == 200) {
                return answer.body();
            }
            if (isRedirect(answer.status())) {
                String location = answer.headers().get("location");
                if (location == null) {
                    throw new RemoteFetchException(RemoteFetchException.Kind.FAILED,
                            "the remote server answered " + answer.status() + " without a Location");
                }
                if (hop == MAX_REDIRECTS) {
                    throw new RemoteFetchException(RemoteFetchException.Kind.FAILED,
                            "the remote server redirected more than " + MAX_REDIRECTS + " times");
                }
                uri = checkedUri(location, uri);
                continue;
            }
            throw new RemoteFetchException(RemoteFetchException.Kind.FAILED,
                    "the remote server answered " + answer.status() + " for " + uri);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** An absolute http(s) URL with a host and no credentials, resolved against {@code base} when relative. */
    private static URI checkedUri(String text, URI base) throws RemoteFetchException {
        URI uri;
        try {
            uri = new URI(text.trim());
            if (base != null) {
                uri = base.resolve(uri);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused("\"" + text + "\" is not a valid URL (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("only http and https URLs are fetched, not \"" + (scheme.isEmpty() ? text : scheme + ":") + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("URLs with a user name or password are not fetched");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw refused("\"" + text + "\" names no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw refused("\"" + text + "\" names no valid port");
        }
        if (isLooseIpv4(uri.getHost())) {
            throw refused("the host \"" + uri.getHost() + "\" is a numeric address in a non-standard form (octal, hex, "
                    + "short or zero-padded); write an IPv4 address as four decimal numbers like 93.184.216.34");
        }
        return uri;
    }

    /**
     * A host made only of numbers (decimal, 0-prefixed octal, 0x hex) that is not a canonical dotted quad:
     * "0177.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "127.000.0.1". Resolvers disagree on these (Java reads
     * 0177 as 177, curl and browsers as octal 127), so the address we vet might not be the one a person meant.
     */
    static boolean isLooseIpv4(String host) {
        if (host.startsWith("[")) {
            return false; // IPv6 literals are parsed strictly by the JDK
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        String[] parts = lower.split("\\.", -1);
        for (String part : parts) {
            if (!part.matches("0x[0-9a-f]*|[0-9]+")) {
                return false; // a name (some label is not a number)
            }
        }
        if (parts.length != 4) {
            return true;
        }
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                return true;
            }
        }
        return false;
    }

    private static RemoteFetchException refused(String message) {
        return new RemoteFetchException(RemoteFetchException.Kind.REFUSED, message);
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private Answer get(URI uri, long deadline) throws RemoteFetchException {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        InetAddress address = vettedAddress(bareHost);
        try (Socket socket = connect(address, port, bareHost, https, deadline)) {
            OutputStream out = socket.getOutputStream();
            out.write(request(uri, host, port, https).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return readAnswer(in, socket, deadline);
        } catch (SocketTimeoutException e) {
            throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server " + host + " did not answer in time", e);
        } catch (IOException e) {
            throw new RemoteFetchException(RemoteFetchException.Kind.FAILED,
                    "cannot fetch from " + host + ": " + e.getMessage(), e);
        }
    }

    /** The first address of {@code host} the policy allows; refused when it allows none. */
    private InetAddress vettedAddress(String host) throws RemoteFetchException {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the host " + host + " does not resolve");
        }
        String firstRefusal = null;
        for (InetAddress address : addresses) {
            String refusal = policy.refusal(address);
            if (refusal == null) {
                return address;
            }
            if (firstRefusal == null) {
                firstRefusal = refusal;
            }
        }
        if (firstRefusal == null) {
            throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the host " + host + " has no address");
        }
        throw refused("the host " + host + " resolves to " + firstRefusal + "; only public addresses are fetched");
    }

    private Socket connect(InetAddress address, int port, String host, boolean https, long deadline) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), (int) Math.max(1, Math.min(timeouts.connectMillis(), remainingMillis(deadline))));
            plain.setSoTimeout(timeouts.readMillis());
            if (!https) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) tlsSockets.createSocket(plain, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            if (!isAddressLiteral(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static String request(URI uri, String host, int port, boolean https) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
                + "User-Agent: clickseg-remote-image/1\r\n"
                + "Accept: image/*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n";
    }

    private Answer readAnswer(InputStream in, Socket socket, long deadline) throws IOException, RemoteFetchException {
        int status;
        Map<String, String> headers;
        int[] headBytes = {0};
        do { // skip interim 1xx answers
            String statusLine = readLine(in, headBytes);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server did not answer HTTP/1.x");
            }
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server sent a bad status line");
            }
            headers = new HashMap<>();
            for (String line = readLine(in, headBytes); !line.isEmpty(); line = readLine(in, headBytes)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
        } while (status >= 100 && status < 200);
        if (status != 200) {
            return new Answer(status, headers, null); // a redirect or an error: its body is not needed
        }
        String transfer = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        String length = headers.get("content-length");
        BodyReader body = new BodyReader(in, socket, deadline);
        if (transfer.contains("chunked")) {
            return new Answer(status, headers, body.chunked());
        }
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server sent a bad Content-Length");
            }
            if (declared > maxBytes) {
                throw tooLarge(declared);
            }
            return new Answer(status, headers, body.exactly((int) declared));
        }
        return new Answer(status, headers, body.untilClose());
    }

    private RemoteFetchException tooLarge(long declared) {
        return new RemoteFetchException(RemoteFetchException.Kind.TOO_LARGE, "the remote image "
                + (declared > 0 ? "(" + declared + " bytes) " : "") + "is larger than the upload limit of " + maxBytes + " bytes");
    }

    /** One header line without its CR LF, counting toward the head's size limit. */
    private static String readLine(InputStream in, int[] headBytes) throws IOException, RemoteFetchException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server closed the connection mid-answer");
            }
            if (++headBytes[0] > MAX_HEAD_BYTES) {
                throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server's headers are too long");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000L;
    }

    /** Reads a body in the three HTTP/1.1 framings, never holding more than the byte limit. */
    private final class BodyReader {
        private final InputStream in;
        private final Socket socket;
        private final long deadline;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[64 << 10];

        BodyReader(InputStream in, Socket socket, long deadline) {
            this.in = in;
            this.socket = socket;
            this.deadline = deadline;
        }

        byte[] exactly(int length) throws IOException, RemoteFetchException {
            copy(length, true);
            return out.toByteArray();
        }

        byte[] untilClose() throws IOException, RemoteFetchException {
            copy(Long.MAX_VALUE, false);
            return out.toByteArray();
        }

        byte[] chunked() throws IOException, RemoteFetchException {
            int[] lineBytes = {0};
            while (true) {
                lineBytes[0] = 0;
                String sizeLine = readLine(in, lineBytes);
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server sent a bad chunk size");
                }
                if (size == 0) {
                    return out.toByteArray(); // trailers, if any, are not needed
                }
                if (size < 0 || out.size() + size > maxBytes) {
                    throw tooLarge(-1);
                }
                copy(size, true);
                readLine(in, lineBytes); // the CR LF after each chunk
            }
        }

        /** Appends up to {@code count} bytes (exactly that many when {@code exact}), refusing past the limit. */
        private void copy(long count, boolean exact) throws IOException, RemoteFetchException {
            long left = count;
            while (left > 0) {
                long remaining = remainingMillis(deadline);
                if (remaining <= 0) {
                    throw new SocketTimeoutException("the whole fetch took too long");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(timeouts.readMillis(), remaining)));
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    if (exact) {
                        throw new RemoteFetchException(RemoteFetchException.Kind.FAILED, "the remote server closed the connection mid-body");
                    }
                    return;
                }
                if (out.size() + n > maxBytes) {
                    throw tooLarge(-1);
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}

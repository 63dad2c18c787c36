package clickseg.server.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Copies chosen regular-file entries out of a gzip-compressed tar archive (what {@code npm pack} writes).
 *
 * <p>Reads ustar headers (name + prefix) and pax extended headers' {@code path} records, which is all that
 * node-tar produces for npm packages. Entries are only ever written to the destinations the caller names,
 * so a hostile entry name cannot escape the target folder.
 */
final class TarGzExtractor {
    private static final int BLOCK = 512;

    private TarGzExtractor() {
    }

    /**
     * @param wanted entry name -> destination file
     * @return the entries that were found (a subset of {@code wanted}'s keys)
     */
    static Map<String, Path> extract(Path archive, Map<String, Path> wanted) throws IOException {
        Map<String, Path> found = new HashMap<>();
        byte[] header = new byte[BLOCK];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            String paxPath = null;
            while (true) {
                if (!readFully(in, header)) {
                    break;
                }
                if (isZeroBlock(header)) {
                    break;
                }
                String name = paxPath != null ? paxPath : entryName(header);
                paxPath = null;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                if (type == 'x') {
                    paxPath = paxPathRecord(readBytes(in, size));
                    skipPadding(in, size);
                    continue;
                }
                boolean regular = type == '0' || type == 0;
                Path target = regular ? wanted.get(name) : null;
                if (target != null) {
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    found.put(name, target);
                } else {
                    skip(in, size);
                }
                skipPadding(in, size);
            }
        }
        return found;
    }

    private static String entryName(byte[] header) {
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
    }

    /** A pax header holds records "LEN key=value\n"; only "path" matters here. */
    private static String paxPathRecord(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int offset, int length) throws IOException {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (value > 0) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("not a tar archive (bad size field)");
            }
            value = value * 8 + (c - '0');
        }
        return value;
    }

    private static boolean isZeroBlock(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, block.length);
        if (read == 0) {
            return false;
        }
        if (read < block.length) {
            throw new EOFException("tar archive is truncated");
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar pax header too large");
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length != size) {
            throw new EOFException("tar archive is truncated");
        }
        return bytes;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("tar archive is truncated");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        long left = size;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive is truncated");
                }
                n = 1;
            }
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        skip(in, padding);
    }
}

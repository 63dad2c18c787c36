package clickseg.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A ZIP archive built in memory with stored (uncompressed) entries: the PNGs it mostly carries are
 * compressed already, and a stored entry needs nothing but CRC-32 (java.util.zip.CRC32, which TeaVM
 * provides). Names are UTF-8 (general-purpose flag bit 11); every entry carries the same fixed time so that
 * the same export gives the same bytes. No ZIP64: the archive stays under 2 GiB (a Java array), entries under 65,535.
 */
public final class ZipWriter {
    private static final int DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
    private static final int UTF8_NAMES = 1 << 11;

    private byte[] out = new byte[1 << 16];
    private int size;
    private final List<byte[]> names = new ArrayList<>();
    private final List<int[]> entries = new ArrayList<>(); // (crc, length, local header offset)

    /** Adds a file; names use '/' for folders. */
    public ZipWriter add(String name, byte[] data) {
        if (entries.size() == 0xFFFF) {
            throw new IllegalStateException("a zip without ZIP64 holds at most 65,535 entries");
        }
        byte[] encodedName = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length);
        int crcValue = (int) crc.getValue();
        ensure(30 + encodedName.length + data.length);
        int offset = size;
        int32(0x04034b50);
        int16(10); // version needed: 1.0, stored
        int16(UTF8_NAMES);
        int16(0); // method: stored
        int16(0); // time
        int16(DOS_DATE_1980_01_01);
        int32(crcValue);
        int32(data.length);
        int32(data.length);
        int16(encodedName.length);
        int16(0); // extra length
        bytes(encodedName);
        bytes(data);
        names.add(encodedName);
        entries.add(new int[] {crcValue, data.length, offset});
        return this;
    }

    public ZipWriter add(String name, String text) {
        return add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The archive: the entries, then the central directory. */
    public byte[] finish() {
        int directory = size;
        for (int i = 0; i < entries.size(); i++) {
            byte[] name = names.get(i);
            int[] e = entries.get(i);
            ensure(46 + name.length);
            int32(0x02014b50);
            int16(20); // made by: 2.0
            int16(10);
            int16(UTF8_NAMES);
            int16(0);
            int16(0);
            int16(DOS_DATE_1980_01_01);
            int32(e[0]);
            int32(e[1]);
            int32(e[1]);
            int16(name.length);
            int16(0); // extra
            int16(0); // comment
            int16(0); // disk
            int16(0); // internal attributes
            int32(0); // external attributes
            int32(e[2]);
            bytes(name);
        }
        int directorySize = size - directory;
        ensure(22);
        int32(0x06054b50);
        int16(0);
        int16(0);
        int16(entries.size());
        int16(entries.size());
        int32(directorySize);
        int32(directory);
        int16(0);
        return java.util.Arrays.copyOf(out, size);
    }

    private void ensure(int more) {
        if ((long) size + more > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("a zip without ZIP64 stays under 2 GiB here");
        }
        if (size + more > out.length) {
            out = java.util.Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 64, Math.max((long) out.length * 2, (long) size + more)));
        }
    }

    private void int16(int v) {
        out[size++] = (byte) v;
        out[size++] = (byte) (v >>> 8);
    }

    private void int32(int v) {
        int16(v & 0xFFFF);
        int16(v >>> 16);
    }

    private void bytes(byte[] b) {
        System.arraycopy(b, 0, out, size, b.length);
        size += b.length;
    }
}

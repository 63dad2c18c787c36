package clickseg.web.simd;

import org.teavm.interop.Address;
import org.teavm.runtime.heap.Heap;

/**
 * Regions of the WebAssembly GC module's linear memory (TeaVM's heap for direct buffers, which the
 * SIMD module shares) and the copies between them and Java arrays: the edges where data crosses.
 * Each copy is a plain loop of loads and stores inside WebAssembly, about a nanosecond per float.
 */
final class LinearMemory {
    private LinearMemory() {
    }

    /** A 16-byte aligned region of floats (v128 loads want no alignment, but aligned ones are cheaper). */
    static int allocate(int floats) {
        Address address = Heap.alloc(floats * 4 + 16);
        if (address.toInt() == 0) {
            throw new IllegalStateException("out of linear memory for " + floats + " floats");
        }
        return (address.toInt() + 15) & ~15;
    }

    /** memory[address + 4·i] = src[offset + i] for i < length. */
    static void write(float[] src, int offset, int length, int address) {
        Address a = Address.fromInt(address);
        for (int i = offset, end = offset + length; i < end; i++) {
            a.putFloat(src[i]);
            a = a.add(4);
        }
    }

    /** Rows of a matrix, one after the other: memory (rows, width) = rows[r][0, width). */
    static void writeRows(float[][] rows, int count, int width, int address) {
        for (int r = 0; r < count; r++) {
            write(rows[r], 0, width, address + 4 * r * width);
        }
    }

    /** dst[offset + i] = memory[address + 4·i] for i < length. */
    static void read(int address, float[] dst, int offset, int length) {
        Address a = Address.fromInt(address);
        for (int i = offset, end = offset + length; i < end; i++) {
            dst[i] = a.getFloat();
            a = a.add(4);
        }
    }

    /** dst[r][0, width) = memory row r of (count, width). */
    static void readRows(int address, float[][] dst, int count, int width) {
        for (int r = 0; r < count; r++) {
            read(address + 4 * r * width, dst[r], 0, width);
        }
    }

    static float get(int address) {
        return Address.fromInt(address).getFloat();
    }
}

package clickseg.wire;

/**
 * The binary embedding container: a small header, then the values. All integers little-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "CSEM"
 *      4     2  version (1)
 *      6     1  dtype code: 0 f32, 1 f16, 2 i8, 3 u8
 *      7     1  rank R (4)
 *      8     4  data offset D (header length, a multiple of 16 so typed-array views of the data line up)
 *     12     4  original width
 *     16     4  original height
 *     20     4  resized width
 *     24     4  resized height
 *     28    4R  shape (1, C, H, W)
 *  28+4R     1  model id length L, then L ASCII bytes, then zeros up to D
 *      D        f32: C*H*W floats | f16: C*H*W binary16 | i8: C float scales, then C*H*W signed bytes
 *               | u8: C float scales, C float offsets (the channel minima), then C*H*W unsigned bytes
 * </pre>
 *
 * Pure Java without java.nio so that TeaVM compiles it for the browser.
 */
public final class EmbeddingCodec {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'C', 'S', 'E', 'M'};
    private static final int FIXED_HEADER = 28;
    private static final int MAX_VALUES = 1 << 28;

    private EmbeddingCodec() {
    }

    public static byte[] encode(EmbeddingContainer container, Dtype dtype) {
        int[] shape = container.shape();
        int channels = shape[1];
        int plane = shape[2] * shape[3];
        float[] data = container.data(); // (C, H, W)
        int dataOffset = dataOffset(container.modelId(), shape.length);
        byte[] out = new byte[dataOffset + payloadLength(shape, dtype)];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        putU16(out, 4, VERSION);
        out[6] = (byte) dtype.code;
        out[7] = (byte) shape.length;
        putI32(out, 8, dataOffset);
        putI32(out, 12, container.originalWidth());
        putI32(out, 16, container.originalHeight());
        putI32(out, 20, container.resizedWidth());
        putI32(out, 24, container.resizedHeight());
        int p = FIXED_HEADER;
        for (int dim : shape) {
            putI32(out, p, dim);
            p += 4;
        }
        String id = container.modelId();
        out[p++] = (byte) id.length();
        for (int i = 0; i < id.length(); i++) {
            out[p++] = (byte) id.charAt(i);
        }
        p = dataOffset;
        switch (dtype) {
            case F32 -> {
                for (float v : data) {
                    putI32(out, p, Float.floatToRawIntBits(v));
                    p += 4;
                }
            }
            case F16 -> {
                for (float v : data) {
                    putU16(out, p, HalfFloat.fromFloat(v) & 0xFFFF);
                    p += 2;
                }
            }
            case I8 -> {
                int q = p + 4 * channels; // int8 values follow the C scales
                for (int c = 0; c < channels; c++) {
                    int base = c * plane;
                    float maxAbs = 0f;
                    for (int i = 0; i < plane; i++) {
                        float a = Math.abs(data[base + i]);
                        if (a > maxAbs) {
                            maxAbs = a;
                        }
                    }
                    float scale = maxAbs / 127f;
                    putI32(out, p + 4 * c, Float.floatToRawIntBits(scale));
                    float inverse = scale > 0f ? 1f / scale : 0f;
                    for (int i = 0; i < plane; i++) {
                        int v = Math.round(data[base + i] * inverse);
                        out[q + base + i] = (byte) (v > 127 ? 127 : Math.max(v, -127));
                    }
                }
            }
            case U8 -> encodeAsymmetric(data, channels, plane, out, p);
        }
        return out;
    }

    public static EmbeddingContainer decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_HEADER) {
            throw new EmbeddingFormatException("truncated: " + (bytes == null ? 0 : bytes.length)
                    + " bytes is shorter than the " + FIXED_HEADER + "-byte header");
        }
        for (int i = 0; i < 4; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new EmbeddingFormatException("not an embedding container (magic is not \"CSEM\")");
            }
        }
        int version = getU16(bytes, 4);
        if (version != VERSION) {
            throw new EmbeddingFormatException("unsupported container version " + version + " (this reader knows " + VERSION + ")");
        }
        Dtype dtype = Dtype.fromCode(bytes[6] & 0xFF);
        if (dtype == null) {
            throw new EmbeddingFormatException("unknown dtype code " + (bytes[6] & 0xFF));
        }
        int rank = bytes[7] & 0xFF;
        if (rank != 4) {
            throw new EmbeddingFormatException("rank " + rank + ", expected 4 (1, C, H, W)");
        }
        int dataOffset = getI32(bytes, 8);
        int idAt = FIXED_HEADER + 4 * rank;
        if (dataOffset < idAt + 1 || dataOffset > bytes.length) {
            throw new EmbeddingFormatException(dataOffset > bytes.length
                    ? "truncated: header says data starts at byte " + dataOffset + " of " + bytes.length
                    : "corrupt header: data offset " + dataOffset + " lies inside the header");
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = getI32(bytes, FIXED_HEADER + 4 * i);
            if (shape[i] <= 0) {
                throw new EmbeddingFormatException("corrupt header: dimension " + i + " is " + shape[i]);
            }
            count *= shape[i];
            if (count > MAX_VALUES) {
                throw new EmbeddingFormatException("corrupt header: shape holds more than " + MAX_VALUES + " values");
            }
        }
        if (shape[0] != 1) {
            throw new EmbeddingFormatException("batch dimension is " + shape[0] + ", expected 1");
        }
        int idLength = bytes[idAt] & 0xFF;
        if (idAt + 1 + idLength > dataOffset) {
            throw new EmbeddingFormatException("corrupt header: model id runs past the data offset");
        }
        char[] id = new char[idLength];
        for (int i = 0; i < idLength; i++) {
            id[i] = (char) (bytes[idAt + 1 + i] & 0xFF);
        }
        String modelId = new String(id);
        if (!isValidModelId(modelId)) {
            throw new EmbeddingFormatException("corrupt header: model id is not 1-64 characters of [A-Za-z0-9._-]");
        }
        int expected = dataOffset + payloadLength(shape, dtype);
        if (bytes.length != expected) {
            throw new EmbeddingFormatException(bytes.length < expected
                    ? "truncated: " + dtype.wireName() + " container needs " + expected + " bytes, got " + bytes.length
                    : "corrupt: " + (bytes.length - expected) + " bytes after the end of the data");
        }
        int channels = shape[1];
        int plane = shape[2] * shape[3];
        float[] data = new float[(int) count]; // (C, H, W)
        int p = dataOffset;
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float.intBitsToFloat(getI32(bytes, p));
                    p += 4;
                }
            }
            case F16 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = HalfFloat.toFloat((short) getU16(bytes, p));
                    p += 2;
                }
            }
            case I8 -> {
                int q = p + 4 * channels;
                for (int c = 0; c < channels; c++) {
                    float scale = Float.intBitsToFloat(getI32(bytes, p + 4 * c));
                    if (!(scale >= 0f) || Float.isInfinite(scale)) {
                        throw new EmbeddingFormatException("corrupt: channel " + c + " has scale " + scale);
                    }
                    int base = c * plane;
                    for (int i = 0; i < plane; i++) {
                        data[base + i] = bytes[q + base + i] * scale;
                    }
                }
            }
            case U8 -> decodeAsymmetric(bytes, p, channels, plane, data);
        }
        return new EmbeddingContainer(modelId, dtype, shape, getI32(bytes, 12), getI32(bytes, 16),
                getI32(bytes, 20), getI32(bytes, 24), data);
    }

    /** u8 at p: (C) scales, (C) offsets, then (C, H, W) bytes q with value = offset + q * scale. */
    private static void encodeAsymmetric(float[] data, int channels, int plane, byte[] out, int p) {
        int q = p + 8 * channels;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < plane; i++) {
                min = Math.min(min, data[base + i]);
                max = Math.max(max, data[base + i]);
            }
            float scale = (max - min) / 255f;
            putI32(out, p + 4 * c, Float.floatToRawIntBits(scale));
            putI32(out, p + 4 * (channels + c), Float.floatToRawIntBits(min));
            float inverse = scale > 0f ? 1f / scale : 0f;
            for (int i = 0; i < plane; i++) {
                int v = Math.round((data[base + i] - min) * inverse);
                out[q + base + i] = (byte) (v > 255 ? 255 : Math.max(v, 0));
            }
        }
    }

    private static void decodeAsymmetric(byte[] bytes, int p, int channels, int plane, float[] data) {
        int q = p + 8 * channels;
        for (int c = 0; c < channels; c++) {
            float scale = Float.intBitsToFloat(getI32(bytes, p + 4 * c));
            float offset = Float.intBitsToFloat(getI32(bytes, p + 4 * (channels + c)));
            if (!(scale >= 0f) || Float.isInfinite(scale)) {
                throw new EmbeddingFormatException("corrupt: channel " + c + " has scale " + scale);
            }
            if (Float.isNaN(offset) || Float.isInfinite(offset)) {
                throw new EmbeddingFormatException("corrupt: channel " + c + " has offset " + offset);
            }
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                data[base + i] = offset + (bytes[q + base + i] & 0xFF) * scale;
            }
        }
    }

    /** Total bytes of a container: what a dtype costs on the wire. */
    public static int encodedLength(String modelId, int[] shape, Dtype dtype) {
        return dataOffset(modelId, shape.length) + payloadLength(shape, dtype);
    }

    static boolean isValidModelId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int dataOffset(String modelId, int rank) {
        int header = FIXED_HEADER + 4 * rank + 1 + modelId.length();
        return (header + 15) & ~15;
    }

    private static int payloadLength(int[] shape, Dtype dtype) {
        int count = shape[1] * shape[2] * shape[3];
        int perChannel = dtype == Dtype.I8 ? 4 : dtype == Dtype.U8 ? 8 : 0; // scales (and offsets)
        return count * dtype.bytesPerValue + perChannel * shape[1];
    }

    private static void putU16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
    }

    private static void putI32(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    private static int getU16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static int getI32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}

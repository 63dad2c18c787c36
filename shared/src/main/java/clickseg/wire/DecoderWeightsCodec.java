package clickseg.wire;

import clickseg.decoder.DecoderWeights;
import clickseg.decoder.WeightSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact decoder weights file the browser downloads instead of the ONNX graph.
 *
 * <pre>
 * magic "CSDW" | version u8 = 1 | precision u8 (0 f32, 1 f16) | reserved u16 | tensor count u32
 * per tensor: name length u16, name (ASCII), rank u8, dims u32 × rank, then the values
 *             (little-endian f32, or IEEE binary16)
 * </pre>
 * Tensors are in {@link DecoderWeights#SPECS} order, PyTorch layout. All integers little-endian.
 * Decoding validates every name and shape and names the tensor at fault.
 */
public final class DecoderWeightsCodec {
    public enum Precision { F32, F16 }

    private static final byte[] MAGIC = {'C', 'S', 'D', 'W'};
    private static final int VERSION = 1;

    private DecoderWeightsCodec() {
    }

    public static byte[] encode(DecoderWeights weights, Precision precision) {
        int width = precision == Precision.F32 ? 4 : 2;
        int size = 12;
        for (WeightSpec spec : DecoderWeights.SPECS) {
            size += 2 + spec.name().length() + 1 + 4 * spec.shape().length + width * spec.elementCount();
        }
        byte[] out = new byte[size];
        int p = 0;
        System.arraycopy(MAGIC, 0, out, 0, 4);
        p += 4;
        out[p++] = VERSION;
        out[p++] = (byte) precision.ordinal();
        p += 2;
        p = putInt(out, p, DecoderWeights.SPECS.size());
        for (WeightSpec spec : DecoderWeights.SPECS) {
            String name = spec.name();
            out[p++] = (byte) name.length();
            out[p++] = (byte) (name.length() >> 8);
            for (int i = 0; i < name.length(); i++) {
                out[p++] = (byte) name.charAt(i);
            }
            out[p++] = (byte) spec.shape().length;
            for (int d : spec.shape()) {
                p = putInt(out, p, d);
            }
            float[] values = weights.get(name);
            if (precision == Precision.F32) {
                for (float v : values) {
                    p = putInt(out, p, Float.floatToRawIntBits(v));
                }
            } else {
                for (float v : values) {
                    short h = HalfFloat.fromFloat(v);
                    out[p++] = (byte) h;
                    out[p++] = (byte) (h >> 8);
                }
            }
        }
        return out;
    }

    public static DecoderWeights decode(byte[] bytes) {
        if (bytes.length < 12 || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]
                || bytes[3] != MAGIC[3]) {
            throw new IllegalArgumentException("not a clickseg decoder weights file (bad magic)");
        }
        if (bytes[4] != VERSION) {
            throw new IllegalArgumentException("unsupported decoder weights version " + bytes[4]);
        }
        int precisionCode = bytes[5];
        if (precisionCode != 0 && precisionCode != 1) {
            throw new IllegalArgumentException("unknown precision code " + precisionCode);
        }
        boolean half = precisionCode == 1;
        int count = getInt(bytes, 8);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        int p = 12;
        for (int t = 0; t < count; t++) {
            require(bytes, p, 2, "tensor " + t + " header");
            int nameLength = (bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8;
            p += 2;
            require(bytes, p, nameLength + 1, "tensor " + t + " name");
            StringBuilder name = new StringBuilder(nameLength);
            for (int i = 0; i < nameLength; i++) {
                name.append((char) (bytes[p + i] & 0xff));
            }
            p += nameLength;
            String tensorName = name.toString();
            int rank = bytes[p++] & 0xff;
            require(bytes, p, 4 * rank, "dims of " + tensorName);
            int[] dims = new int[rank];
            long elements = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = getInt(bytes, p);
                p += 4;
                elements *= dims[i];
            }
            WeightSpec spec = DecoderWeights.findSpec(tensorName);
            if (spec == null) {
                throw new IllegalArgumentException("unexpected tensor " + tensorName);
            }
            if (!java.util.Arrays.equals(dims, spec.shape())) {
                throw new IllegalArgumentException("tensor " + tensorName + " has shape " + new WeightSpec(tensorName, dims).shapeString()
                        + ", expected " + spec.shapeString());
            }
            int width = half ? 2 : 4;
            require(bytes, p, elements * width, "values of " + tensorName);
            float[] values = new float[(int) elements];
            for (int i = 0; i < values.length; i++) {
                if (half) {
                    values[i] = HalfFloat.toFloat((short) ((bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8));
                    p += 2;
                } else {
                    values[i] = Float.intBitsToFloat(getInt(bytes, p));
                    p += 4;
                }
            }
            tensors.put(tensorName, values);
        }
        if (p != bytes.length) {
            throw new IllegalArgumentException("decoder weights file has " + (bytes.length - p) + " trailing bytes");
        }
        return DecoderWeights.of(tensors);
    }

    private static void require(byte[] bytes, int p, long n, String what) {
        if (p + n > bytes.length) {
            throw new IllegalArgumentException("decoder weights file is truncated in " + what);
        }
    }

    private static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
        b[p + 2] = (byte) (v >> 16);
        b[p + 3] = (byte) (v >> 24);
        return p + 4;
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }
}

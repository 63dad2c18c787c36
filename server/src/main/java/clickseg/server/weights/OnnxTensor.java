package clickseg.server.weights;

import java.util.Arrays;

/**
 * One ONNX TensorProto (an initializer or a Constant node's value), its payload left in place in the
 * model's bytes until {@link #toFloats()} is asked for.
 *
 * @param name      the tensor's name in the graph
 * @param dims      its shape, outermost first
 * @param dataType  ONNX TensorProto.DataType (1 float, 6 int32, 7 int64, 10 float16, 11 double)
 * @param bytes     the model file's bytes
 * @param rawStart  start of raw_data in {@code bytes}, or -1 when the values are in float_data
 * @param rawEnd    end of raw_data
 * @param floatData the values when stored as float_data (not raw), else null
 */
public record OnnxTensor(String name, long[] dims, int dataType, byte[] bytes, int rawStart, int rawEnd,
                         float[] floatData) {
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(dims);
    }

    /** The values as float32, whatever the stored float type; integer tensors are rejected. */
    public float[] toFloats() {
        long n = elementCount();
        if (floatData != null) {
            if (floatData.length != n) {
                throw new IllegalArgumentException("tensor " + name + " has " + floatData.length
                        + " float_data values for shape " + shapeString());
            }
            return floatData.clone();
        }
        int width = switch (dataType) {
            case FLOAT -> 4;
            case FLOAT16 -> 2;
            case DOUBLE -> 8;
            default -> throw new IllegalArgumentException("tensor " + name + " has data type " + dataType
                    + ", expected a floating-point type");
        };
        if (rawStart < 0 || (long) (rawEnd - rawStart) != n * width) {
            throw new IllegalArgumentException("tensor " + name + " has " + (rawStart < 0 ? 0 : rawEnd - rawStart)
                    + " bytes of data for shape " + shapeString() + " (expected " + n * width + ")");
        }
        float[] out = new float[(int) n];
        int p = rawStart;
        for (int i = 0; i < n; i++) {
            switch (width) {
                case 4 -> {
                    out[i] = Float.intBitsToFloat(littleEndianInt(p));
                    p += 4;
                }
                case 2 -> {
                    out[i] = clickseg.wire.HalfFloat.toFloat((short) ((bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8));
                    p += 2;
                }
                default -> {
                    long lo = littleEndianInt(p) & 0xffffffffL;
                    long hi = littleEndianInt(p + 4) & 0xffffffffL;
                    out[i] = (float) Double.longBitsToDouble(lo | hi << 32);
                    p += 8;
                }
            }
        }
        return out;
    }

    private int littleEndianInt(int p) {
        return (bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8 | (bytes[p + 2] & 0xff) << 16 | (bytes[p + 3] & 0xff) << 24;
    }
}

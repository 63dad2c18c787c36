package clickseg.server.weights;

/**
 * A cursor over protobuf wire-format bytes: just enough to walk ONNX's ModelProto.
 *
 * <p>Protobuf messages are a flat sequence of (tag, value) pairs where tag = field << 3 | wireType.
 * We only need wire types 0 (varint), 1 (fixed64), 2 (length-delimited) and 5 (fixed32); groups
 * (3, 4) are obsolete and rejected. Nested messages are read by creating a reader over the same
 * array restricted to the field's byte range, so nothing is copied.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private final int end;

    private int fieldNumber;
    private int wireType;
    private int fieldStart; // offset of the current field's tag, for re-serialisation

    ProtobufReader(byte[] bytes, int offset, int end) {
        if (offset < 0 || end > bytes.length || offset > end) {
            throw new IllegalArgumentException("bad protobuf range " + offset + ".." + end + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.end = end;
    }

    ProtobufReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (position >= end) {
            return false;
        }
        fieldStart = position;
        long tag = readVarint();
        fieldNumber = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (fieldNumber <= 0) {
            throw new IllegalArgumentException("corrupt protobuf: field number " + fieldNumber + " at byte " + fieldStart);
        }
        return true;
    }

    int fieldNumber() {
        return fieldNumber;
    }

    int wireType() {
        return wireType;
    }

    int fieldStart() {
        return fieldStart;
    }

    int position() {
        return position;
    }

    int endOffset() {
        return end;
    }

    byte[] bytes() {
        return bytes;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalArgumentException("truncated protobuf varint at byte " + position);
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("corrupt protobuf varint at byte " + position);
    }

    int readFixed32() {
        requireAvailable(4);
        int v = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8
                | (bytes[position + 2] & 0xff) << 16 | (bytes[position + 3] & 0xff) << 24;
        position += 4;
        return v;
    }

    long readFixed64() {
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** For a length-delimited field: a reader over its payload; the cursor moves past it. */
    ProtobufReader readMessage() {
        int length = readLength();
        ProtobufReader inner = new ProtobufReader(bytes, position, position + length);
        position += length;
        return inner;
    }

    /** For a length-delimited field: the payload's [start, end) offsets; the cursor moves past it. */
    int[] readRange() {
        int length = readLength();
        int[] range = {position, position + length};
        position += length;
        return range;
    }

    String readString() {
        int length = readLength();
        String s = new String(bytes, position, length, java.nio.charset.StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Skips the value of the current field, whatever its wire type. */
    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> { requireAvailable(8); position += 8; }
            case LENGTH_DELIMITED -> { int length = readLength(); position += length; }
            case FIXED32 -> { requireAvailable(4); position += 4; }
            default -> throw new IllegalArgumentException(
                    "unsupported protobuf wire type " + wireType + " for field " + fieldNumber + " at byte " + fieldStart);
        }
    }

    private int readLength() {
        if (wireType != LENGTH_DELIMITED) {
            throw new IllegalArgumentException("field " + fieldNumber + " at byte " + fieldStart
                    + " has wire type " + wireType + ", expected length-delimited");
        }
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw new IllegalArgumentException("truncated protobuf: field " + fieldNumber + " claims "
                    + length + " bytes at byte " + position + " but only " + (end - position) + " remain");
        }
        return (int) length;
    }

    private void requireAvailable(int n) {
        if (end - position < n) {
            throw new IllegalArgumentException("truncated protobuf at byte " + position);
        }
    }
}

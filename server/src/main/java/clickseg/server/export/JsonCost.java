package clickseg.server.export;

/**
 * What parsing a JSON body into Gson's tree costs in heap, estimated from its bytes before parsing: the text
 * twice (the reader's chars and the strings it keeps) plus ~80 bytes per value (a JsonPrimitive, its boxed or
 * lazily parsed number, the array slot). Values are counted as the commas, colons and opening brackets outside
 * strings, one per value but the first of each container. A body of 8 MiB of short numbers is ~4 million values
 * (~330 MB), one of long RLE strings a few dozen.
 */
final class JsonCost {
    private static final long BYTES_PER_VALUE = 80;

    private JsonCost() {
    }

    static long bytes(byte[] body) {
        long values = 1;
        boolean inString = false;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ',' || b == ':' || b == '[' || b == '{') {
                values++;
            }
        }
        return 2L * body.length + BYTES_PER_VALUE * values;
    }
}

package clickseg.e2e;

import java.nio.charset.StandardCharsets;

/** Finds one field's bytes in a multipart/form-data body (enough for the stand-in server). */
final class MultipartField {
    private MultipartField() {
    }

    static byte[] extract(byte[] body, String contentType, String fieldName) {
        if (contentType == null || !contentType.contains("boundary=")) {
            return null;
        }
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] headerEnd = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length + 2;
            int headersEnd = indexOf(body, headerEnd, headersStart);
            if (headersEnd < 0) {
                return null;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            int dataStart = headersEnd + 4;
            int next = indexOf(body, delimiter, dataStart);
            if (next < 0) {
                return null;
            }
            if (headers.contains("name=\"" + fieldName + "\"")) {
                int dataEnd = next - 2; // the CRLF before the delimiter
                byte[] data = new byte[Math.max(0, dataEnd - dataStart)];
                System.arraycopy(body, dataStart, data, 0, data.length);
                return data;
            }
            at = next;
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package clickseg.server.image;

/**
 * What a JPEG's marker segments say before the scan data: the component layout and colour transform that
 * libjpeg would infer, and the EXIF block. Scans headers only; never decodes pixels.
 */
final class JpegStructure {
    /** Adobe APP14 transform flag: absent. */
    static final int NO_ADOBE = -1;

    int components;
    int[] componentIds = new int[0];
    boolean jfif;
    int adobeTransform = NO_ADOBE;
    /** TIFF-structured EXIF payload (after "Exif\0\0"), or null. */
    byte[] exif;

    static JpegStructure scan(byte[] b) {
        JpegStructure s = new JpegStructure();
        int p = 2; // after SOI
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                break; // not at a marker: damaged header; the decoder will say so
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2; // standalone markers carry no length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // end of image or start of scan: all headers seen
            }
            int length = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            int payload = p + 4;
            int payloadLength = length - 2;
            if (length < 2 || payload + payloadLength > b.length) {
                break;
            }
            if (marker == 0xE0 && startsWith(b, payload, payloadLength, "JFIF\0")) {
                s.jfif = true;
            } else if (marker == 0xE1 && s.exif == null && startsWith(b, payload, payloadLength, "Exif\0\0")) {
                s.exif = java.util.Arrays.copyOfRange(b, payload + 6, payload + payloadLength);
            } else if (marker == 0xEE && payloadLength >= 12 && startsWith(b, payload, payloadLength, "Adobe")) {
                s.adobeTransform = b[payload + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && payloadLength >= 6) {
                s.components = b[payload + 5] & 0xFF;
                s.componentIds = new int[s.components];
                for (int c = 0; c < s.components && payload + 6 + 3 * c < b.length; c++) {
                    s.componentIds[c] = b[payload + 6 + 3 * c] & 0xFF;
                }
            }
            p = payload + payloadLength;
        }
        return s;
    }

    /** libjpeg's rule (jdapimin.c) for whether three components hold RGB rather than YCbCr. */
    boolean threeComponentsAreRgb() {
        if (jfif) {
            return false;
        }
        if (adobeTransform != NO_ADOBE) {
            return adobeTransform == 0;
        }
        return componentIds.length == 3 && componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B';
    }

    /** libjpeg's rule for four components: YCCK only when Adobe says transform 2, else CMYK. */
    boolean fourComponentsAreYcck() {
        return adobeTransform == 2;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int offset, int length, String ascii) {
        if (length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[offset + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

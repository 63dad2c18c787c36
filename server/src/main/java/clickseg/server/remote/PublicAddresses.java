package clickseg.server.remote;

import java.net.InetAddress;

/**
 * The address policy for fetching remote images: only globally routable unicast addresses, so that a URL
 * cannot make the server reach itself, its LAN, a cloud metadata service or anything else behind its firewall.
 *
 * <p>Judged on the raw bytes, so every spelling of an address (decimal, octal or hex IPv4 forms that the
 * resolver accepts, IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms) is judged by the IPv4 address
 * it reaches.
 */
public final class PublicAddresses implements AddressPolicy {
    public static final PublicAddresses ONLY = new PublicAddresses();

    private PublicAddresses() {
    }

    @Override
    public String refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        String kind = bytes.length == 4 ? ipv4Kind(bytes, 0) : ipv6Kind(bytes);
        return kind == null ? null : address.getHostAddress() + " is " + kind;
    }

    /** What makes the IPv4 address at {@code b[at..at+4]} non-public, or null for a public one. */
    private static String ipv4Kind(byte[] b, int at) {
        int a0 = b[at] & 0xff;
        int a1 = b[at + 1] & 0xff;
        int a2 = b[at + 2] & 0xff;
        if (a0 == 0) {
            return "an unspecified (\"this network\") address, 0.0.0.0/8";
        }
        if (a0 == 127) {
            return "a loopback address, 127.0.0.0/8";
        }
        if (a0 == 10) {
            return "a private address, 10.0.0.0/8";
        }
        if (a0 == 172 && (a1 & 0xf0) == 16) {
            return "a private address, 172.16.0.0/12";
        }
        if (a0 == 192 && a1 == 168) {
            return "a private address, 192.168.0.0/16";
        }
        if (a0 == 169 && a1 == 254) {
            return "a link-local address, 169.254.0.0/16 (where cloud metadata services live)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a carrier-grade NAT address, 100.64.0.0/10";
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return "a reserved address (IETF protocol assignments or documentation), 192.0.0.0/24 or 192.0.2.0/24";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "a benchmarking address, 198.18.0.0/15";
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "a documentation address, 198.51.100.0/24 or 203.0.113.0/24";
        }
        if ((a0 & 0xf0) == 224) {
            return "a multicast address, 224.0.0.0/4";
        }
        if ((a0 & 0xf0) == 240) {
            return "a reserved or broadcast address, 240.0.0.0/4";
        }
        return null;
    }

    private static String ipv6Kind(byte[] b) {
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded("an IPv4-mapped address", b, 12);
        }
        if (zero(b, 0, 12)) {
            if (zero(b, 12, 16)) {
                return "the unspecified address, ::";
            }
            if (zero(b, 12, 15) && b[15] == 1) {
                return "the loopback address, ::1";
            }
            return embedded("an IPv4-compatible address", b, 12);
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return zero(b, 4, 12) ? embedded("a NAT64 address", b, 12) : "a local-use NAT64 address, 64:ff9b:1::/48";
        }
        if (b0 == 0x01 && b1 == 0x00 && zero(b, 2, 8)) {
            return "a discard-only address, 100::/64";
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return embedded("a 6to4 address", b, 2);
        }
        if (b0 == 0x20 && b1 == 0x01 && zero(b, 2, 4)) {
            return "a Teredo tunnel address, 2001::/32";
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return "a documentation address, 2001:db8::/32";
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "a unique local (private) address, fc00::/7";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "a link-local address, fe80::/10";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "a site-local address, fec0::/10";
        }
        if (b0 == 0xff) {
            return "a multicast address, ff00::/8";
        }
        return null;
    }

    /** An IPv6 form that carries an IPv4 address: as bad as that address, else fine. */
    private static String embedded(String form, byte[] b, int at) {
        String inner = ipv4Kind(b, at);
        return inner == null ? null : form + " of " + inner;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

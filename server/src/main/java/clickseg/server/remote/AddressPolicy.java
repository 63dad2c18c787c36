package clickseg.server.remote;

import java.net.InetAddress;

/**
 * Which resolved addresses the server may connect to when it fetches a remote image. Production uses
 * {@link PublicAddresses#ONLY}; a test that serves images from its own loopback server says so explicitly.
 */
@FunctionalInterface
public interface AddressPolicy {
    /** Why the server must not connect to {@code address}, or null when it may. */
    String refusal(InetAddress address);
}

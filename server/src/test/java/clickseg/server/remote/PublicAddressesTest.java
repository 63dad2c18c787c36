package clickseg.server.remote;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses the server may fetch remote images from: public unicast only, in every spelling. */
class PublicAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3",
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
            "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
            "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
            "::", "::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff05::1:3",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1", "::ffff:100.64.0.1",
            "::127.0.0.1", "::10.1.2.3", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::1",
            "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "100::1"})
    void non_public_addresses_are_refused_with_a_reason(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);
        String refusal = PublicAddresses.ONLY.refusal(address);
        assertNotNull(refusal, literal + " must be refused");
        assertTrue(refusal.contains(address.getHostAddress()), refusal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.255.255", "192.167.1.1", "198.17.255.255", "198.20.0.1", "223.255.255.254", "9.255.255.255", "11.0.0.1",
            "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:82b::200e",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "fbff::1", "fe7f::1"})
    void public_unicast_addresses_are_allowed(String literal) throws UnknownHostException {
        assertNull(PublicAddresses.ONLY.refusal(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "017700000001", "127.1", "0177.0.0.1"})
    void other_spellings_of_loopback_that_resolvers_accept_are_still_loopback(String spelling) {
        InetAddress address;
        try {
            address = InetAddress.getByName(spelling);
        } catch (UnknownHostException e) {
            return; // this JDK does not read the spelling as an address at all: it can never reach loopback through it
        }
        if (address.getAddress()[0] == 127) {
            assertNotNull(PublicAddresses.ONLY.refusal(address), spelling);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:7f00:1", "::ffff:a9fe:a9fe"})
    void ipv4_mapped_addresses_given_as_sixteen_raw_bytes_are_judged_by_their_ipv4_address(String literal) throws Exception {
        byte[] sixteen = new byte[16];
        byte[] four = InetAddress.getByName(literal).getAddress(); // Java hands mapped literals back as IPv4
        sixteen[10] = (byte) 0xff;
        sixteen[11] = (byte) 0xff;
        System.arraycopy(four, four.length - 4, sixteen, 12, 4);
        InetAddress mapped = java.net.Inet6Address.getByAddress(null, sixteen, -1);
        assertNotNull(PublicAddresses.ONLY.refusal(mapped), mapped.toString());
    }
}

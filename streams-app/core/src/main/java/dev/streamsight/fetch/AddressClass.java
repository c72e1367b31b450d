package dev.streamsight.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The special-purpose IP address ranges that a fetch of an event's image refuses unless allowed:
 * loopback, link-local (with the cloud metadata services), private and unique-local, carrier-grade
 * NAT, multicast, broadcast, unspecified and reserved ranges, and IPv6 addresses that embed such an
 * IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo). Everything
 * else is public. Stateless.
 */
final class AddressClass {
    private static final String METADATA = "cloud metadata service";

    private record Range(Cidr cidr, String label) {
    }

    /** Cloud metadata endpoints come first so that a message says what they are. */
    private static final List<Range> RANGES = List.of(
            range("169.254.169.254", METADATA), range("169.254.170.2", METADATA),
            range("100.100.100.200", METADATA), range("fd00:ec2::254", METADATA),
            range("0.0.0.0/8", "unspecified"), range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local"), range("10.0.0.0/8", "private"),
            range("172.16.0.0/12", "private"), range("192.168.0.0/16", "private"),
            range("100.64.0.0/10", "carrier-grade NAT"), range("224.0.0.0/4", "multicast"),
            range("255.255.255.255", "broadcast"), range("240.0.0.0/4", "reserved"),
            range("192.0.0.0/24", "reserved"), range("198.18.0.0/15", "reserved"),
            range("::", "unspecified"), range("::1", "loopback"), range("fe80::/10", "link-local"),
            range("fc00::/7", "unique-local"), range("fec0::/10", "site-local"), range("ff00::/8", "multicast"),
            range("100::/64", "reserved"), range("64:ff9b:1::/48", "local-use NAT64"));

    /** An IPv6 prefix whose addresses carry an IPv4 address at {@code offset} (inverted for Teredo). */
    private record Embedding(Cidr prefix, int offset, boolean inverted, String form) {
    }

    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(Cidr.parse("::ffff:0:0:0/96"), 12, false, "IPv4-translated"),
            new Embedding(Cidr.parse("::/96"), 12, false, "IPv4-compatible"),
            new Embedding(Cidr.parse("64:ff9b::/96"), 12, false, "NAT64"),
            new Embedding(Cidr.parse("2002::/16"), 2, false, "6to4"),
            new Embedding(Cidr.parse("2001::/32"), 12, true, "Teredo"));

    private AddressClass() {
    }

    private static Range range(String cidr, String label) {
        return new Range(Cidr.parse(cidr), label);
    }

    /** The class of a refused address ({@code loopback}, {@code private}, ...), or null for a public one. */
    static String of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (isMapped(bytes)) {
            return embedded(Arrays.copyOfRange(bytes, 12, 16), "IPv4-mapped");
        }
        for (Range r : RANGES) {
            if (r.cidr().contains(bytes)) {
                return r.label();
            }
        }
        for (Embedding e : EMBEDDINGS) {
            if (e.prefix().contains(bytes)) {
                byte[] v4 = Arrays.copyOfRange(bytes, e.offset(), e.offset() + 4);
                if (e.inverted()) {
                    for (int i = 0; i < 4; i++) {
                        v4[i] = (byte) ~v4[i];
                    }
                }
                return embedded(v4, e.form());
            }
        }
        return null;
    }

    private static String embedded(byte[] v4, String form) {
        InetAddress inner = ipv4(v4);
        String label = of(inner);
        return label == null ? null : label + " (" + inner.getHostAddress() + " embedded as " + form + " IPv6)";
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the IPv4 address it is; others as they are. */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet6Address && isMapped(bytes) ? ipv4(Arrays.copyOfRange(bytes, 12, 16)) : address;
    }

    private static boolean isMapped(byte[] b) {
        if (b.length != 16 || b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] v4) {
        try {
            return InetAddress.getByAddress(v4); // four bytes: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.streamsight.fetch;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * A range of IP addresses written {@code address/prefix-length} ({@code 10.0.0.0/8},
 * {@code fc00::/7}), or one address ({@code 127.0.0.1}, {@code ::1}). Parsing never looks a name
 * up. Immutable.
 */
final class Cidr {
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String text;
    private final byte[] network;
    private final int prefix;

    private Cidr(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Reads a range or a single address.
     *
     * @throws IllegalArgumentException naming the text when it is neither, or when the address has
     *     bits set beyond the prefix
     */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or a CIDR range");
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length (0 to " + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + text + "' has address bits set beyond its /" + prefix
                        + " prefix");
            }
        }
        return new Cidr(text, bytes, prefix);
    }

    /**
     * An IP address literal: a full dotted quad or an IPv6 address (brackets allowed, zone ids not);
     * null for anything else. Never resolves a name.
     */
    static InetAddress literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv6 = s.contains(":") && !s.contains("%");
        if (!ipv6 && !DOTTED_QUAD.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code address} lies in this range (an IPv4-mapped IPv6 address counts as IPv4). */
    boolean contains(InetAddress address) {
        return contains(AddressClass.unmapped(address).getAddress());
    }

    boolean contains(byte[] a) {
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}

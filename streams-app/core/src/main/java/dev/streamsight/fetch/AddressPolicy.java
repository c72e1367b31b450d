package dev.streamsight.fetch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which addresses an http(s) fetch may connect to. {@link #anyAddress()} is the CLI's, where the
 * user names the URLs. {@link #publicOnly(List)} is for references in events written by others: a
 * reference to a loopback, link-local, private or otherwise special-purpose address (see
 * {@link AddressClass}) could reach services that trust this machine's place in the network, such
 * as a cloud metadata service, so such addresses are refused unless an allow-list entry opens them:
 * <ul>
 *   <li>a CIDR range ({@code 10.20.0.0/16}, {@code fd00::/8}) or one address ({@code 127.0.0.1},
 *       {@code ::1}) opens those addresses, whatever name led to them;</li>
 *   <li>a host name ({@code images.internal}) is fetched whatever addresses DNS gives it, and
 *       {@code *.example.com} does the same for every name below {@code example.com}.</li>
 * </ul>
 * The policy is applied to the addresses a name resolves to and again to the address each
 * connection is made to, on every redirect. Immutable and thread-safe.
 */
public final class AddressPolicy {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final AddressPolicy ANY = new AddressPolicy(true, List.of(), List.of(), List.of());

    private final boolean anyAddress;
    private final List<Cidr> ranges;
    private final List<String> names;    // lower case, without a trailing dot
    private final List<String> suffixes; // ".example.com" for "*.example.com"

    private AddressPolicy(boolean anyAddress, List<Cidr> ranges, List<String> names, List<String> suffixes) {
        this.anyAddress = anyAddress;
        this.ranges = List.copyOf(ranges);
        this.names = List.copyOf(names);
        this.suffixes = List.copyOf(suffixes);
    }

    /** Every address: for URLs the user names. */
    public static AddressPolicy anyAddress() {
        return ANY;
    }

    /** Public addresses only. */
    public static AddressPolicy publicOnly() {
        return publicOnly(List.of());
    }

    /**
     * Public addresses, and those that {@code allowed} opens: CIDR ranges, IP addresses, host names
     * and {@code *.}domain wildcards (blank entries are skipped).
     *
     * @throws IllegalArgumentException naming the first entry that is none of these
     */
    public static AddressPolicy publicOnly(List<String> allowed) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String entry : allowed) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || e.contains(":") || e.matches("[\\d.]+")) {
                ranges.add(Cidr.parse(entry.trim()));
            } else if (e.startsWith("*.") && isHostName(e.substring(2))) {
                suffixes.add(normalize(e.substring(1)));
            } else if (isHostName(e)) {
                names.add(normalize(e));
            } else {
                throw new IllegalArgumentException("'" + entry.trim()
                        + "' is not a CIDR range, an IP address, a host name or *.domain");
            }
        }
        return new AddressPolicy(false, ranges, names, suffixes);
    }

    /** Whether every address is allowed. */
    public boolean allowsAnyAddress() {
        return anyAddress;
    }

    /** Whether {@code host} is a name on the allow-list (any address of it is then allowed). */
    boolean allowsName(String host) {
        String h = normalize(host.toLowerCase(Locale.ROOT));
        return names.contains(h) || suffixes.stream().anyMatch(h::endsWith);
    }

    /**
     * Why connecting to {@code address}, reached for {@code host} (a name, or the address itself),
     * is refused: the address class ({@code loopback}, {@code private}, ...); null when it is allowed.
     */
    String refusal(String host, InetAddress address) {
        if (anyAddress || (host != null && allowsName(host))) {
            return null;
        }
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return null;
            }
        }
        return AddressClass.of(address);
    }

    private static boolean isHostName(String s) {
        String h = normalize(s);
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        if (anyAddress) {
            return "any address";
        }
        List<String> allowed = new ArrayList<>(ranges.stream().map(Cidr::toString).toList());
        allowed.addAll(names);
        suffixes.forEach(s -> allowed.add("*" + s));
        return allowed.isEmpty() ? "public addresses only" : "public addresses and " + String.join(", ", allowed);
    }
}

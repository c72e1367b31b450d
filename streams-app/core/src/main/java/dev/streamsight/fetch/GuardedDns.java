package dev.streamsight.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;

/**
 * The resolver the HTTP client connects through: the addresses {@code delegate} gives a name, less
 * those the {@link AddressPolicy} refuses; when none is left, an {@link AddressRefusedException}
 * before any connection is attempted. Each address it returns carries the name it was resolved for,
 * so that {@link GuardedSocketFactory} can apply the policy again (a name on the allow-list opens
 * any of its addresses). Thread-safe when the delegate is.
 */
final class GuardedDns implements Dns {
    private final Dns delegate;
    private final AddressPolicy policy;

    GuardedDns(Dns delegate, AddressPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> allowed = new ArrayList<>();
        AddressRefusedException refused = null;
        for (InetAddress address : delegate.lookup(hostname)) {
            String addressClass = policy.refusal(hostname, address);
            if (addressClass == null) {
                allowed.add(named(hostname, address));
            } else if (refused == null) {
                refused = AddressRefusedException.of(hostname, address, addressClass);
            }
        }
        if (allowed.isEmpty() && refused != null) {
            throw refused;
        }
        return allowed;
    }

    /** The same address, carrying {@code hostname} (no lookup either way). */
    private static InetAddress named(String hostname, InetAddress address) throws UnknownHostException {
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            return Inet6Address.getByAddress(hostname, v6.getAddress(), v6.getScopeId());
        }
        return InetAddress.getByAddress(hostname, address.getAddress());
    }
}

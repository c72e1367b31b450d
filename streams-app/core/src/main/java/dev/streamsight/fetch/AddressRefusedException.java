package dev.streamsight.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A connection that the {@link AddressPolicy} refuses, thrown where the HTTP client expects an I/O
 * failure: by {@link GuardedDns} (an {@link UnknownHostException}, the only failure a resolver may
 * throw) and by {@link GuardedSocketFactory}'s sockets before they connect. The fetcher finds it in
 * what the client throws and reports it as a refusal, never retried.
 */
final class AddressRefusedException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    private AddressRefusedException(String message) {
        super(message);
    }

    /** Names the host, the address when it differs, and the address class. */
    static AddressRefusedException of(String host, InetAddress address, String addressClass) {
        String shown = address.getHostAddress();
        String what = host == null || host.equals(shown) || Cidr.literal(host) != null
                ? "host " + (host == null ? shown : host) + " is a " + addressClass + " address"
                : "host " + host + " resolves to " + shown + ", a " + addressClass + " address";
        return new AddressRefusedException(what + ", refused unless allowed (fetch.http.allow)");
    }

    /** The refusal among {@code t}, its causes and what they suppressed; null when there is none. */
    static AddressRefusedException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AddressRefusedException refused) {
                return refused;
            }
            for (Throwable s : c.getSuppressed()) {
                AddressRefusedException refused = find(s);
                if (refused != null) {
                    return refused;
                }
            }
        }
        return null;
    }
}

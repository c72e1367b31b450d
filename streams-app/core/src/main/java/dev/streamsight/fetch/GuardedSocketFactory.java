package dev.streamsight.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain sockets that apply the {@link AddressPolicy} to the address they are about to connect to
 * and throw an {@link AddressRefusedException} instead of connecting: the last check, on the
 * address actually connected to, whatever path led there (an IP literal the HTTP client never
 * resolves, a resolver that let something through). TLS is layered on these sockets, so https is
 * covered too. The HTTP client creates unconnected sockets and connects them itself; the factory
 * methods that take a host name are refused, since they would resolve it unchecked. Thread-safe.
 */
final class GuardedSocketFactory extends SocketFactory {
    private final AddressPolicy policy;

    GuardedSocketFactory(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host, port, null, 0);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        try {
            socket.bind(new InetSocketAddress(localHost, localPort));
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new SocketException("connect an unconnected socket to a resolved address instead");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new SocketException("connect an unconnected socket to a resolved address instead");
    }

    /** A socket that checks where it connects. */
    private final class GuardedSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target) || target.isUnresolved()) {
                throw new SocketException("refusing to connect to an unresolved address: " + endpoint);
            }
            // The host string is the name GuardedDns resolved, or the address itself: never a reverse lookup.
            String addressClass = policy.refusal(target.getHostString(), target.getAddress());
            if (addressClass != null) {
                throw AddressRefusedException.of(target.getHostString(), target.getAddress(), addressClass);
            }
            super.connect(endpoint, timeout);
        }
    }
}

package dev.streamsight.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports on the loopback address {@code 127.0.0.1} (never the wildcard address).
 *
 * <p>A port is found by binding a server socket to {@code 127.0.0.1:0} and closing it again, so
 * another process may take it before the caller binds it; callers that need the port for long
 * should bind it soon. Stateless and thread-safe.
 */
public final class FreePorts {

    /** The only address the embedded broker and this helper ever bind. */
    public static final String LOOPBACK_HOST = "127.0.0.1";

    private FreePorts() {
    }

    /** Returns one port that was free on {@code 127.0.0.1} a moment ago. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * Returns {@code count} distinct ports that were free on {@code 127.0.0.1} a moment ago. All
     * sockets are held open together until the last one is bound, so the ports differ.
     */
    public static int[] freePorts(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            InetAddress loopback = InetAddress.getByName(LOOPBACK_HOST);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(loopback, 0), 1);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK_HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do: the port is released either way
                }
            }
        }
    }
}

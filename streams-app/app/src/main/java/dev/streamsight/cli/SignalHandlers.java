package dev.streamsight.cli;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the JVM's handling of SIGTERM/SIGINT for {@code run}: by default the JVM runs its
 * shutdown hooks and exits with status 128+signal; a long-running service stopped on purpose should
 * close cleanly and exit 0, so the handler only asks the main thread to stop. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported), the only way to catch a signal in Java; where it
 * is not available the JVM's default stays and the shutdown hook still closes the application.
 */
final class SignalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SignalHandlers.class);

    private SignalHandlers() {
    }

    /** Installs {@code handler} (called with the signal name, on a JVM signal thread) for each signal. */
    @SuppressWarnings("restriction")
    static void install(List<String> signals, Consumer<String> handler) {
        for (String name : signals) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                LOG.warn("cannot handle SIG{} ({}); the JVM's default applies", name, e.toString());
            }
        }
    }
}

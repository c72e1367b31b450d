package dev.streamsight.testing;

import dev.streamsight.topology.ThreadFailurePolicy;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails every test class during which a stream thread of this JVM died ({@link
 * ThreadFailurePolicy#streamThreadDeaths()}), unless the class is marked {@link
 * ProvokesStreamThreadDeath}: a per-event failure must become a dead letter, never a dying thread,
 * and the failure policy would otherwise hide it by replacing the thread.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services}, {@code junit-platform.properties}); test classes run one at a time.
 */
public final class StreamThreadDeathCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StreamThreadDeathCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("deaths", ThreadFailurePolicy.streamThreadDeaths());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        long before = context.getStore(NS).get("deaths", Long.class);
        long died = ThreadFailurePolicy.streamThreadDeaths() - before;
        boolean expected = context.getRequiredTestClass().isAnnotationPresent(ProvokesStreamThreadDeath.class);
        if (died > 0 && !expected) {
            throw new AssertionError(died + " stream thread(s) died during " + context.getDisplayName()
                    + "; see the log for 'stream thread died'");
        }
    }
}

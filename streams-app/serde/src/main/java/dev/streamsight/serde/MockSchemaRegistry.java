package dev.streamsight.serde;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-memory registries for unit tests, one per scope: a serde configured with
 * {@code schema.registry.url=mock://my-scope} talks to the registry of scope {@code my-scope}, and
 * so does every other serde and client of that scope in the JVM (like Confluent's
 * {@code MockSchemaRegistry}). Ids start at 1 in each scope. The registry applies the same rules as
 * {@link InProcessSchemaRegistry} (BACKWARD compatibility by default).
 *
 * <p>Thread-safe. Scopes live until {@link #dropScope(String)}; tests use a unique scope each, or drop
 * theirs when done.
 */
public final class MockSchemaRegistry {

    private static final ConcurrentMap<String, SchemaStore> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** A client of the registry of {@code scope}, created empty on first use. */
    public static SchemaRegistryClient clientForScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        SchemaStore store = SCOPES.computeIfAbsent(scope, s -> new SchemaStore(CompatibilityLevel.BACKWARD));
        return new LocalSchemaRegistryClient(store, "mock://" + scope);
    }

    /** Forgets the registry of {@code scope}; clients already handed out keep the old one. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }
}

package dev.streamsight.serde;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that Avro serdes need.
 *
 * <p>Implementations are thread-safe and cache what never changes (id to schema, subject and schema
 * to id), so a serde calls the registry once per schema, not once per record. {@link #latest} and
 * {@link #testCompatibility} always ask the registry. Every method throws {@link RegistryException}
 * when the registry answers with an error or cannot be reached.
 *
 * <p>Lifecycle: create one per application (or per serde), share it, {@link #close()} it at the end.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
     * returns its global id. Registering a schema the subject already has returns the existing id.
     *
     * @throws RegistryException with error code 409 if the subject's compatibility level rejects it
     */
    int register(String subject, Schema schema);

    /** The schema with the global id {@code id} ({@code GET /schemas/ids/{id}}); 40403 if unknown. */
    Schema getById(int id);

    /**
     * Finds {@code schema} in {@code subject} without registering it ({@code POST /subjects/{subject}});
     * 40401 if the subject does not exist, 40403 if the schema is not in it.
     */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The latest version of {@code subject} ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema latest(String subject);

    /** Version {@code version} of {@code subject} ({@code GET /subjects/{subject}/versions/{version}}). */
    RegisteredSchema version(String subject, int version);

    /** The versions of {@code subject}, oldest first ({@code GET /subjects/{subject}/versions}). */
    List<Integer> versions(String subject);

    /**
     * Whether {@code schema} could be registered as the next version of {@code subject} under its
     * compatibility level, checked against the latest version
     * ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     */
    boolean testCompatibility(String subject, Schema schema);

    /** All subjects, sorted ({@code GET /subjects}). */
    List<String> getAllSubjects();

    /** Releases connections; the client is unusable afterwards. Idempotent. */
    @Override
    void close();

    /**
     * A client for the {@code schema.registry.url} in {@code config}: an in-memory one from
     * {@link MockSchemaRegistry} for {@code mock://scope}, otherwise a {@link RestSchemaRegistryClient}.
     */
    static SchemaRegistryClient create(Map<String, ?> config) {
        RegistryClientConfig parsed = RegistryClientConfig.from(config);
        return parsed.mockScope()
                .<SchemaRegistryClient>map(MockSchemaRegistry::clientForScope)
                .orElseGet(() -> new RestSchemaRegistryClient(parsed));
    }
}

package dev.streamsight.serde;

import java.util.List;
import org.apache.avro.Schema;

/** A {@link SchemaRegistryClient} that calls a {@link SchemaStore} in the same JVM, without HTTP. */
final class LocalSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaStore store;
    private final String name;

    LocalSchemaRegistryClient(SchemaStore store, String name) {
        this.store = store;
        this.name = name;
    }

    @Override
    public int register(String subject, Schema schema) {
        return store.register(subject, schema.toString());
    }

    @Override
    public Schema getById(int id) {
        return store.byId(id);
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return store.lookup(subject, schema.toString());
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return store.version(subject, -1);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return store.version(subject, version);
    }

    @Override
    public List<Integer> versions(String subject) {
        return store.versions(subject);
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        return store.compatibilityViolations(subject, schema.toString(), -1).isEmpty();
    }

    @Override
    public List<String> getAllSubjects() {
        return store.subjects();
    }

    /** Nothing to release: the store belongs to its scope, not to the client. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return name;
    }
}

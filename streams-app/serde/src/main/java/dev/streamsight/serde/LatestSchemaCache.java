package dev.streamsight.serde;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The latest version of each subject, refreshed after a TTL (or never). Thread-safe. */
final class LatestSchemaCache {

    private record Entry(RegisteredSchema schema, long fetchedAtNanos) {
    }

    private final SchemaRegistryClient client;
    private final Optional<Duration> ttl;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    LatestSchemaCache(SchemaRegistryClient client, Optional<Duration> ttl) {
        this.client = client;
        this.ttl = ttl;
    }

    RegisteredSchema get(String subject) {
        Entry entry = entries.get(subject);
        long now = System.nanoTime();
        if (entry == null || ttl.isPresent() && now - entry.fetchedAtNanos() >= ttl.get().toNanos()) {
            entry = new Entry(client.latest(subject), now);
            entries.put(subject, entry);
        }
        return entry.schema();
    }
}

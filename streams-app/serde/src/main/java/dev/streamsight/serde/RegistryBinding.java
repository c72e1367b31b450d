package dev.streamsight.serde;

import java.util.Map;

/**
 * What a configured serializer or deserializer shares: its registry client (made from the
 * configuration and owned, or given and borrowed), its parsed configuration, whether it serves keys,
 * and the latest-version cache. Configured once by Kafka before use; read-only afterwards, so the
 * owning serde may be used from several threads.
 */
final class RegistryBinding implements AutoCloseable {
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerdeConfig config;
    private boolean isKey;
    private LatestSchemaCache latest;

    /** @param given a client to borrow (never closed here), or null to make one at configure */
    RegistryBinding(SchemaRegistryClient given) {
        this.client = given;
    }

    void configure(Map<String, ?> configs, boolean key) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = key;
        if (client == null || ownsClient) {
            close();
            client = SchemaRegistryClient.create(configs);
            ownsClient = true;
        }
        this.latest = new LatestSchemaCache(client, config.latestCacheTtl());
    }

    boolean configured() {
        return config != null;
    }

    SchemaRegistryClient client() {
        return client;
    }

    AvroSerdeConfig config() {
        return config;
    }

    boolean isKey() {
        return isKey;
    }

    LatestSchemaCache latest() {
        return latest;
    }

    /** Closes the client if it was made here. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
            client = null;
            ownsClient = false;
        }
    }
}

package dev.streamsight.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} sharing one registry client (and so its
 * caches). Made by {@link AvroSerdes}; owns the client when it made it from the config, and then
 * closes it in {@link #close()}. Thread-safe after configure.
 */
public final class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final SchemaRegistryClient client;
    private final boolean ownsClient;

    AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer, SchemaRegistryClient client, boolean ownsClient) {
        this.serializer = serializer;
        this.deserializer = deserializer;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (ownsClient) {
            client.close();
        }
    }
}

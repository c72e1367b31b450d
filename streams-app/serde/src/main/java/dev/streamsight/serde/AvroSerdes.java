package dev.streamsight.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Factories for configured Avro {@link org.apache.kafka.common.serialization.Serde}s, the usual way to
 * give Kafka Streams its serdes:
 *
 * <pre>{@code
 * Map<String, Object> config = Map.of("schema.registry.url", "http://127.0.0.1:8081");
 * Serde<ImageEvent> events = AvroSerdes.specific(ImageEvent.class, config, false);
 * builder.stream("images", Consumed.with(Serdes.String(), events));
 * }</pre>
 *
 * Each serde has its own registry client unless one is passed in; it closes the one it made.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** A serde of the generated class {@code type}, configured from {@code config}, for keys or values. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type, Map<String, ?> config, boolean isKey) {
        return specific(type, SchemaRegistryClient.create(config), true, config, isKey);
    }

    /** As {@link #specific(Class, Map, boolean)}, with a shared {@code client} that the serde does not close. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, SchemaRegistryClient client, Map<String, ?> config, boolean isKey) {
        return specific(type, client, false, config, isKey);
    }

    /** A serde of GenericRecords (and Avro primitives), configured from {@code config}. */
    public static <T> AvroSerde<T> generic(Map<String, ?> config, boolean isKey) {
        SchemaRegistryClient client = SchemaRegistryClient.create(config);
        AvroSerde<T> serde = new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(client), client, true);
        serde.configure(config, isKey);
        return serde;
    }

    private static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, SchemaRegistryClient client, boolean ownsClient, Map<String, ?> config, boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(type, client), client, ownsClient);
        serde.configure(config, isKey);
        return serde;
    }
}

package dev.streamsight.connect.converter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;

/**
 * Converts between Avro and Connect data the way Confluent's {@code AvroData} does (records as
 * structs named by full name, nullable unions as optional fields, other unions as
 * {@code io.confluent.connect.avro.Union} structs, enums as strings with enum parameters, maps,
 * arrays, bytes, fixed, and the date/time/timestamp-millis/decimal logical types), so that converting
 * an Avro schema to Connect and back gives an equivalent schema. Conversions of recursive records and
 * of a bare Avro {@code null} are refused with a {@link org.apache.kafka.connect.errors.DataException}.
 *
 * <p>Threading: thread-safe. Converted schemas are cached both ways in LRU caches of
 * {@code cacheSize} entries each, so a converter converts each schema once, not once per record.
 */
public final class AvroConnectData {

    private final Map<Schema, org.apache.kafka.connect.data.Schema> toConnect;
    private final Map<org.apache.kafka.connect.data.Schema, Schema> toAvro;

    /** @param cacheSize schemas kept in each direction ({@code schemas.cache.config}, at least 1) */
    public AvroConnectData(int cacheSize) {
        this.toConnect = lru(cacheSize);
        this.toAvro = lru(cacheSize);
    }

    /** The Connect schema for {@code avro}; cached. */
    public org.apache.kafka.connect.data.Schema toConnectSchema(Schema avro) {
        return computeIfAbsent(toConnect, avro, AvroToConnect::schema);
    }

    /** {@code datum} (written with {@code avro}; generic or specific) as a Connect value with its schema. */
    public SchemaAndValue toConnectData(Schema avro, Object datum) {
        org.apache.kafka.connect.data.Schema connect = toConnectSchema(avro);
        return new SchemaAndValue(connect, AvroToConnect.value(avro, connect, datum));
    }

    /** The Avro schema for {@code connect}; cached. A top-level optional schema is not made nullable. */
    public Schema fromConnectSchema(org.apache.kafka.connect.data.Schema connect) {
        return computeIfAbsent(toAvro, connect, ConnectToAvro::schema);
    }

    /** {@code value} as a generic Avro datum of {@code avro}, which is {@link #fromConnectSchema fromConnectSchema(connect)}. */
    public Object fromConnectData(org.apache.kafka.connect.data.Schema connect, Schema avro, Object value) {
        return ConnectToAvro.value(connect, avro, value);
    }

    /** Number of schemas cached in each direction (for tests of the caching). */
    int cachedSchemas() {
        return Math.max(toConnect.size(), toAvro.size());
    }

    private static <K, V> V computeIfAbsent(Map<K, V> cache, K key, Function<K, V> compute) {
        V cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        // Converted outside the lock: two threads may convert the same schema once each; both results are equal.
        V value = compute.apply(key);
        cache.putIfAbsent(key, value);
        return value;
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        int max = Math.max(1, capacity);
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        });
    }
}

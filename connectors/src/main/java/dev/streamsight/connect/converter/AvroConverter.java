package dev.streamsight.connect.converter;

import dev.streamsight.connect.PluginVersion;
import dev.streamsight.serde.AvroSerdeConfig;
import dev.streamsight.serde.RegistryClientConfig;
import dev.streamsight.serde.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Connect converter for Avro in the Confluent Schema Registry wire format, a drop-in for
 * Confluent's {@code io.confluent.connect.avro.AvroConverter}: records written by it are read by
 * Streamsight's {@code AvroDeserializer} and Confluent's {@code KafkaAvroDeserializer}, and records
 * written by either serializer (the Streamsight results topics) are read by it and handed to sinks
 * as Connect structs.
 *
 * <p>Configuration (with the worker's {@code key.converter.}/{@code value.converter.} prefix
 * removed): the registry client keys of {@link RegistryClientConfig} ({@code schema.registry.url},
 * {@code basic.auth.credentials.source}, {@code basic.auth.user.info}, {@code schema.registry.ssl.*},
 * timeouts), the serde keys {@code auto.register.schemas} (default true) and
 * {@code key.subject.name.strategy}/{@code value.subject.name.strategy} (default
 * {@code <topic>-key}/{@code <topic>-value}), and {@code schemas.cache.config} (default 1000): schemas
 * kept in each conversion cache. {@code use.latest.version} is not supported and refused.
 *
 * <p>Mapping: see {@link AvroConnectData}. A null value is a null payload (a tombstone) both ways;
 * schemaless Connect data is refused with a {@link DataException}.
 *
 * <p>Lifecycle: the worker instantiates it, calls {@link #configure} once, uses it from the task's
 * thread and {@link #close()}s it with the task. Thread-safe after configure. Registry failures that
 * are not the record's fault (no answer, 5xx, 401/403) are
 * {@link org.apache.kafka.connect.errors.RetriableException}s; everything else is a
 * {@link DataException}.
 */
public class AvroConverter implements Converter {

    /** Schemas kept in each conversion cache (Confluent's key). */
    public static final String SCHEMAS_CACHE_SIZE = "schemas.cache.config";
    private static final int DEFAULT_CACHE_SIZE = 1000;

    private SchemaRegistryClient client;
    private AvroWireCodec codec;
    private AvroConnectData data;
    private boolean borrowed;

    /** For the worker's reflective instantiation. */
    public AvroConverter() {
    }

    /** A converter over {@code client} (borrowed: not closed by {@link #close()}), for tests and embedding. */
    public AvroConverter(SchemaRegistryClient client) {
        this.client = client;
        this.borrowed = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig serde = AvroSerdeConfig.from(configs);
        if (serde.useLatestVersion()) {
            throw new org.apache.kafka.common.config.ConfigException(AvroSerdeConfig.USE_LATEST_VERSION, true,
                    "not supported by this converter");
        }
        if (!borrowed) {
            close();
            client = SchemaRegistryClient.create(configs);
        }
        Object cacheSize = configs.get(SCHEMAS_CACHE_SIZE);
        data = new AvroConnectData(cacheSize == null ? DEFAULT_CACHE_SIZE : Integer.parseInt(cacheSize.toString().trim()));
        codec = new AvroWireCodec(client, serde, isKey);
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new DataException("AvroConverter needs schemaful Connect data (topic " + topic
                    + "); use a converter with schemas or a transform that sets one");
        }
        requireConfigured();
        Schema avro = data.fromConnectSchema(schema);
        return codec.encode(topic, avro, data.fromConnectData(schema, avro, value));
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        requireConfigured();
        AvroWireCodec.Decoded decoded = codec.decode(topic, value);
        return data.toConnectData(decoded.schema(), decoded.datum());
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define(RegistryClientConfig.URL, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                        "Comma-separated schema registry URLs (http, https, or mock://scope for tests).")
                .define(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, ConfigDef.Type.STRING, "URL",
                        ConfigDef.Importance.MEDIUM, "URL (user info in the URL) or USER_INFO (basic.auth.user.info).")
                .define(RegistryClientConfig.BASIC_AUTH_USER_INFO, ConfigDef.Type.PASSWORD, null,
                        ConfigDef.Importance.MEDIUM, "user:password for USER_INFO basic auth.")
                .define(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                        "Register the schema of written records; false: look it up and fail when it is missing.")
                .define(SCHEMAS_CACHE_SIZE, ConfigDef.Type.INT, DEFAULT_CACHE_SIZE, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW, "Schemas kept in each conversion cache.");
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    /** Closes the registry client if this converter made it. Idempotent. */
    @Override
    public void close() {
        if (!borrowed && client != null) {
            client.close();
            client = null;
        }
    }

    /** Number of Connect/Avro schemas in the conversion caches (for tests). */
    int cachedSchemas() {
        return data == null ? 0 : data.cachedSchemas();
    }

    private void requireConfigured() {
        if (codec == null) {
            throw new IllegalStateException("AvroConverter used before configure()");
        }
    }
}

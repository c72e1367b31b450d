package dev.streamsight.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro values in the Confluent wire format, byte for byte what Confluent's
 * {@code KafkaAvroSerializer} writes: SpecificRecords, GenericRecords and Avro primitives.
 *
 * <p>The schema id comes from the registry: the record's schema is registered under the subject
 * the subject name strategy gives ({@code auto.register.schemas=true}, the default), looked up
 * ({@code auto.register.schemas=false}), or replaced by the subject's latest schema
 * ({@code use.latest.version=true}; the record is converted to it, and must be readable by it).
 * Registry answers are cached, so the registry sees one call per schema.
 *
 * <p>Lifecycle: construct, {@link #configure}, use, {@link #close()}. Kafka calls these when the class
 * is named in {@code key.serializer}/{@code value.serializer}. Thread-safe after configure. A client
 * passed to the constructor is shared and not closed here; one made from the config is.
 *
 * <p>Errors: a record that cannot be written (unsupported type, schema rejected or not registered)
 * gives a {@link SerializationException}; a registry that cannot be reached or refuses access gives a
 * {@link RegistryException}.
 */
public class AvroSerializer<T> implements Serializer<T> {

    private record SchemaPair(Schema reader, Schema writer) {
    }

    private final RegistryBinding registry;
    private final ConcurrentMap<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final ConcurrentMap<SchemaPair, Boolean> checkedConversions = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: the client is made from {@code schema.registry.url}. */
    public AvroSerializer() {
        this(null);
    }

    /** A serializer that uses {@code client} (not closed by {@link #close()}). */
    public AvroSerializer(SchemaRegistryClient client) {
        this.registry = new RegistryBinding(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (!registry.configured()) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = AvroData.schemaOf(data);
        AvroSerdeConfig config = registry.config();
        boolean isKey = registry.isKey();
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema target = registry.latest().get(subject);
                return target.schema().equals(schema)
                        ? encode(target.id(), schema, data)
                        : encode(target.id(), target.schema(), convert(data, schema, target, subject));
            }
            SchemaRegistryClient client = registry.client();
            int id = config.autoRegisterSchemas() ? client.register(subject, schema) : client.lookup(subject, schema).id();
            return encode(id, schema, data);
        } catch (RegistryException e) {
            if (!e.isSchemaError()) {
                throw e;
            }
            String action = config.useLatestVersion() ? "getting the latest schema of"
                    : config.autoRegisterSchemas() ? "registering the schema in" : "looking up the schema in";
            throw new SerializationException("Error " + action + " subject " + subject + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** Releases the registry client if this serializer made it. */
    @Override
    public void close() {
        registry.close();
    }

    private byte[] encode(int id, Schema schema, Object data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer(schema, data).write(AvroData.datum(data), encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private DatumWriter<Object> writer(Schema schema, Object data) {
        return data instanceof SpecificRecord
                ? specificWriters.computeIfAbsent(schema, SpecificDatumWriter::new)
                : genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
    }

    /** Re-encodes {@code data} (written with {@code own}) as a datum of the target schema by Avro resolution. */
    private Object convert(Object data, Schema own, RegisteredSchema target, String subject) {
        checkedConversions.computeIfAbsent(new SchemaPair(target.schema(), own), pair -> {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(pair.reader(), pair.writer());
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SerializationException("use.latest.version: the latest schema of subject " + subject
                        + " (id " + target.id() + ", version " + target.version() + ") cannot represent a "
                        + own.getFullName() + ": " + result.getResult().getIncompatibilities());
            }
            return true;
        });
        byte[] framed = encode(0, own, data);
        try {
            return new GenericDatumReader<>(own, target.schema(), GenericData.get()).read(null,
                    DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE, framed.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("use.latest.version: cannot convert a " + own.getFullName()
                    + " to schema id " + target.id() + ": " + e.getMessage(), e);
        }
    }
}

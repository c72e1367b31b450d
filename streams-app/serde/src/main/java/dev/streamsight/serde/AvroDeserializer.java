package dev.streamsight.serde;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import dev.streamsight.serde.InvalidPayloadException.Problem;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro values in the Confluent wire format (as written by {@link AvroSerializer} or Confluent's
 * {@code KafkaAvroSerializer}). The writer schema comes from the registry by the id in the payload; the
 * value is resolved to the reader schema, so data written with older (or newer) compatible schemas
 * reads fine. The reader schema is, in order of precedence:
 * <ol>
 *   <li>the one given to the constructor (a generated class's schema for {@link #AvroDeserializer(Class, SchemaRegistryClient)});
 *   <li>with {@code specific.avro.reader=true}, the schema of the generated class named like the writer's record;
 *   <li>with {@code use.latest.version=true}, the latest schema of the subject;
 *   <li>the writer schema.
 * </ol>
 * Specific readers return generated SpecificRecord classes, the others GenericRecords (primitives as
 * {@code String}, {@code byte[]}, boxed numbers).
 *
 * <p>Lifecycle and threading as {@link AvroSerializer}. Bad input gives an {@link InvalidPayloadException}
 * (a {@link SerializationException}) saying what is wrong, its {@link Problem} classifying it: wrong
 * magic byte or short payload (NOT_WIRE_FORMAT), unknown schema id (UNKNOWN_SCHEMA_ID), a writer schema
 * that does not resolve to the reader's (SCHEMA_MISMATCH), truncated body, trailing bytes or invalid
 * data (MALFORMED_AVRO). An unreachable registry gives a {@link RegistryException}, which is not the
 * record's fault.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private record ReaderKey(int writerId, Schema reader, boolean specific) {
    }

    private final Schema fixedReaderSchema;
    private final boolean fixedSpecific;
    private final RegistryBinding registry;
    private final ConcurrentMap<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: the client is made from {@code schema.registry.url}. */
    public AvroDeserializer() {
        this(null, null, false);
    }

    /** A deserializer that uses {@code client} (not closed by {@link #close()}). */
    public AvroDeserializer(SchemaRegistryClient client) {
        this(client, null, false);
    }

    /**
     * A generic deserializer that resolves every value to {@code readerSchema}.
     *
     * @param client the registry client, or null to make one from the config
     */
    public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
        this(client, readerSchema, false);
    }

    /**
     * A deserializer into the generated class {@code type}, reading any compatible writer schema.
     *
     * @param client the registry client, or null to make one from the config
     */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this(client, SpecificData.getForClass(type).getSchema(type), true);
    }

    private AvroDeserializer(SchemaRegistryClient client, Schema readerSchema, boolean specific) {
        this.registry = new RegistryBinding(client);
        this.fixedReaderSchema = readerSchema;
        this.fixedSpecific = specific;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry.configure(configs, isKey);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (!registry.configured()) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(data);
        Schema writer = writerSchema(id, topic);
        boolean specific = fixedSpecific || registry.config().specificAvroReader();
        Schema reader = readerSchema(writer, specific, topic);
        DatumReader<Object> datumReader = readers.computeIfAbsent(new ReaderKey(id, reader, specific),
                key -> key.specific()
                        ? new SpecificDatumReader<>(writer, key.reader())
                        : new GenericDatumReader<>(writer, key.reader(), GenericData.get()));
        int bodyLength = data.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength, null);
        Object value;
        try {
            value = datumReader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidPayloadException(Problem.MALFORMED_AVRO, decoder.inputStream().available()
                        + " trailing byte(s) after the " + writer.getFullName() + " value (schema id " + id
                        + ", topic " + topic + "): the payload does not match its schema");
            }
        } catch (EOFException e) {
            if (!resolvable(writer, reader)) {
                throw mismatch(id, writer, reader, topic, e);
            }
            throw new InvalidPayloadException(Problem.MALFORMED_AVRO, "Truncated Avro payload: " + bodyLength
                    + " body byte(s) end before the " + writer.getFullName() + " value (schema id " + id + ", topic " + topic + ") is complete", e);
        } catch (SerializationException e) {
            throw e;
        } catch (Exception e) {
            if (!resolvable(writer, reader)) {
                throw mismatch(id, writer, reader, topic, e);
            }
            throw new InvalidPayloadException(Problem.MALFORMED_AVRO, "Cannot decode Avro payload with schema id "
                    + id + " (" + writer.getFullName() + ") as " + reader.getFullName() + " for topic " + topic
                    + ": " + e, e);
        }
        return (T) primitive(value);
    }

    /**
     * Whether Avro's schema resolution can read {@code writer} data as {@code reader}; asked only once
     * a value failed to decode, so that a failure is told apart: the wrong record type, or bad bytes.
     */
    private static boolean resolvable(Schema writer, Schema reader) {
        return writer.equals(reader) || SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private static InvalidPayloadException mismatch(int id, Schema writer, Schema reader, String topic, Exception e) {
        return new InvalidPayloadException(Problem.SCHEMA_MISMATCH, "Cannot decode Avro payload with schema id "
                + id + " (" + writer.getFullName() + ") as " + reader.getFullName() + " for topic " + topic
                + ": the writer schema does not resolve to the reader schema (" + e + ")", e);
    }

    /** Releases the registry client if this deserializer made it. */
    @Override
    public void close() {
        registry.close();
    }

    private Schema writerSchema(int id, String topic) {
        try {
            return registry.client().getById(id);
        } catch (RegistryException e) {
            if (e.errorCode() == RegistryException.SCHEMA_NOT_FOUND) {
                throw new InvalidPayloadException(Problem.UNKNOWN_SCHEMA_ID, "Unknown schema id " + id + " (topic "
                        + topic
                        + "): the registry has no such schema", e);
            }
            if (e.isSchemaError()) {
                throw new SerializationException("Unusable schema id " + id + " (topic " + topic + "): " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private Schema readerSchema(Schema writer, boolean specific, String topic) {
        if (fixedReaderSchema != null) {
            return fixedReaderSchema;
        }
        if (specific && writer.getType() == Schema.Type.RECORD) {
            Class<?> type = SpecificData.get().getClass(writer);
            if (type == null || type == Object.class) {
                throw new SerializationException("specific.avro.reader is true but no generated class "
                        + writer.getFullName() + " is on the class path (topic " + topic + ")");
            }
            return SpecificData.get().getSchema(type);
        }
        if (registry.config().useLatestVersion()) {
            boolean isKey = registry.isKey();
            String subject = registry.config().subjectNameStrategy(isKey).subjectName(topic, isKey, writer);
            try {
                return registry.latest().get(subject).schema();
            } catch (RegistryException e) {
                if (e.isSchemaError()) {
                    throw new SerializationException("use.latest.version: no latest schema for subject " + subject
                            + ": " + e.getMessage(), e);
                }
                throw e;
            }
        }
        return writer;
    }

    /** Top-level primitives come back as Java types, as Confluent's deserializer returns them. */
    private static Object primitive(Object value) {
        return switch (value) {
            case Utf8 utf8 -> utf8.toString();
            case ByteBuffer buffer -> {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield bytes;
            }
            case null, default -> value;
        };
    }
}

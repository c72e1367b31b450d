package dev.streamsight.connect.converter;

import dev.streamsight.serde.AvroSerdeConfig;
import dev.streamsight.serde.RegistryException;
import dev.streamsight.serde.SchemaRegistryClient;
import dev.streamsight.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Generic Avro datums to and from the Confluent wire format through a {@link SchemaRegistryClient}:
 * the subject comes from the configured subject name strategy, the schema is registered
 * ({@code auto.register.schemas=true}) or looked up, and readers use the writer schema named by the
 * id in the payload. Thread-safe; datum writers and readers are cached per schema.
 */
final class AvroWireCodec {

    /** A decoded payload: the writer's schema and the generic datum. */
    record Decoded(Schema schema, Object datum) {
    }

    private final SchemaRegistryClient client;
    private final AvroSerdeConfig config;
    private final boolean isKey;
    private final ConcurrentMap<Schema, GenericDatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Schema, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    AvroWireCodec(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        this.client = client;
        this.config = config;
        this.isKey = isKey;
    }

    byte[] encode(String topic, Schema schema, Object datum) {
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        int id;
        try {
            id = config.autoRegisterSchemas() ? client.register(subject, schema) : client.lookup(subject, schema).id();
        } catch (RegistryException e) {
            throw translate(e, (config.autoRegisterSchemas() ? "registering" : "looking up") + " the schema of subject "
                    + subject + " (topic " + topic + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get())).write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new DataException("Cannot encode a " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    Decoded decode(String topic, byte[] payload) {
        int id;
        Schema writer;
        try {
            id = WireFormat.schemaId(payload);
            writer = client.getById(id);
        } catch (SerializationException e) {
            throw new DataException("Topic " + topic + ": " + e.getMessage(), e);
        } catch (RegistryException e) {
            throw translate(e, "getting the schema of a record in topic " + topic);
        }
        int bodyLength = payload.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE, bodyLength, null);
        try {
            Object datum = readers.computeIfAbsent(writer, s -> new GenericDatumReader<>(s, s, GenericData.get())).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new DataException("Trailing bytes after the " + writer.getFullName() + " value (schema id " + id
                        + ", topic " + topic + "): the payload does not match its schema");
            }
            return new Decoded(writer, datum);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException data) {
                throw data;
            }
            throw new DataException("Cannot decode an Avro payload with schema id " + id + " (" + writer.getFullName()
                    + ") in topic " + topic + ": " + e, e);
        }
    }

    /** Registry trouble that is not the record's fault is retriable for Connect; schema errors are not. */
    private static RuntimeException translate(RegistryException e, String action) {
        String message = "Schema registry error " + action + ": " + e.getMessage();
        return e.isRetriable() ? new RetriableException(message, e) : new DataException(message, e);
    }
}

package dev.streamsight.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;

/** The Avro schema of a value the serializer accepts: any Avro record or container, or a primitive. */
final class AvroData {

    private static final Map<Schema.Type, Schema> PRIMITIVES = Map.of(
            Schema.Type.BOOLEAN, Schema.create(Schema.Type.BOOLEAN),
            Schema.Type.INT, Schema.create(Schema.Type.INT),
            Schema.Type.LONG, Schema.create(Schema.Type.LONG),
            Schema.Type.FLOAT, Schema.create(Schema.Type.FLOAT),
            Schema.Type.DOUBLE, Schema.create(Schema.Type.DOUBLE),
            Schema.Type.STRING, Schema.create(Schema.Type.STRING),
            Schema.Type.BYTES, Schema.create(Schema.Type.BYTES));

    private AvroData() {
    }

    static Schema schemaOf(Object value) {
        Schema.Type type = switch (value) {
            case GenericContainer container -> null;
            case Boolean b -> Schema.Type.BOOLEAN;
            case Integer i -> Schema.Type.INT;
            case Long l -> Schema.Type.LONG;
            case Float f -> Schema.Type.FLOAT;
            case Double d -> Schema.Type.DOUBLE;
            case CharSequence s -> Schema.Type.STRING;
            case byte[] bytes -> Schema.Type.BYTES;
            case ByteBuffer buffer -> Schema.Type.BYTES;
            default -> throw new SerializationException("Cannot serialize a " + value.getClass().getName()
                    + " as Avro: expected a SpecificRecord, GenericRecord or Avro primitive");
        };
        return type == null ? ((GenericContainer) value).getSchema() : PRIMITIVES.get(type);
    }

    /** byte[] is not an Avro datum; the datum writers want a ByteBuffer. */
    static Object datum(Object value) {
        return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
    }
}

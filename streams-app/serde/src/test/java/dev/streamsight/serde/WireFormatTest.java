package dev.streamsight.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    static final Schema USER = new Schema.Parser().parse("""
            {"type":"record","name":"User","namespace":"example","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"}]}""");

    private final String scope = Samples.scope();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    /**
     * The Confluent format of User{name="Ann", age=30} under schema id 1: magic 00, id 00 00 00 01, then
     * Avro binary: string length 3 as zig-zag varint (3 &lt;&lt; 1 = 06), "Ann" = 41 6E 6E, int 30 as
     * zig-zag varint (30 &lt;&lt; 1 = 60 = 3C).
     */
    @Test
    void serializesTheConfluentTestVectorByteForByte() {
        Map<String, String> config = Map.of("schema.registry.url", "mock://" + scope);
        GenericRecord ann = new GenericData.Record(USER);
        ann.put("name", "Ann");
        ann.put("age", 30);

        byte[] bytes;
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            bytes = serializer.serialize("users", ann);
        }

        assertEquals("000000000106416e6e3c", HexFormat.of().formatHex(bytes));
        assertEquals(1, MockSchemaRegistry.clientForScope(scope).lookup("users-value", USER).id());

        try (AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(config, false);
            GenericRecord back = deserializer.deserialize("users", HexFormat.of().parseHex("000000000106416e6e3c"));
            assertEquals("Ann", back.get("name").toString());
            assertEquals(30, back.get("age"));
            assertEquals(USER, back.getSchema());
        }
    }

    @Test
    void headerIsMagicByteAndBigEndianId() {
        assertArrayEquals(new byte[] {0, 0x01, 0x02, 0x03, 0x04}, WireFormat.header(0x01020304));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 7, 9, 8}, WireFormat.frame(7, new byte[] {9, 8}));
        assertEquals(0x01020304, WireFormat.schemaId(new byte[] {0, 1, 2, 3, 4, 99}));
        assertEquals(-2, WireFormat.schemaId(new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe}));
    }

    @Test
    void rejectsAWrongMagicByte() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 6}));
        assertTrue(e.getMessage().contains("Unknown magic byte 0x01"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.NOT_WIRE_FORMAT, ((InvalidPayloadException) e).problem());
    }

    @Test
    void rejectsInputShorterThanTheHeader() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> WireFormat.schemaId(new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("3 byte(s), need at least 5"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.NOT_WIRE_FORMAT, ((InvalidPayloadException) e).problem());
        assertThrows(SerializationException.class, () -> WireFormat.schemaId(new byte[0]));
    }
}

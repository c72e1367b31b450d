package dev.streamsight.connect.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.connect.ResultSamples;
import dev.streamsight.serde.AvroDeserializer;
import dev.streamsight.serde.AvroSerializer;
import dev.streamsight.serde.MockSchemaRegistry;
import dev.streamsight.serde.SchemaRegistryClient;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroConverterTest {

    /** Every Avro construct the converter maps: nested records, arrays, unions, enums, maps, bytes, logical types. */
    static final Schema ALL_TYPES = new Schema.Parser().parse("""
            {"type":"record","name":"AllTypes","namespace":"test.avro","doc":"All the types","fields":[
              {"name":"b","type":"boolean"},
              {"name":"i","type":"int","doc":"an int"},
              {"name":"l","type":"long"},
              {"name":"f","type":"float"},
              {"name":"d","type":"double"},
              {"name":"s","type":"string"},
              {"name":"bytes","type":"bytes"},
              {"name":"fixed","type":{"type":"fixed","name":"Hash","size":4}},
              {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"]}},
              {"name":"nested","type":{"type":"record","name":"Nested","fields":[
                {"name":"x","type":"int"},{"name":"tags","type":{"type":"array","items":"string"}}]}},
              {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
                {"name":"name","type":"string"},{"name":"note","type":["null","string"],"default":null}]}}},
              {"name":"counts","type":{"type":"map","values":"int"},"default":{}},
              {"name":"optionalText","type":["null","string"],"default":null},
              {"name":"optionalNested","type":["null","Nested"],"default":null},
              {"name":"choice","type":["null","Item","string","long"],"default":null},
              {"name":"either","type":["Item","Nested"]},
              {"name":"withDefault","type":"string","default":"none"},
              {"name":"day","type":{"type":"int","logicalType":"date"}},
              {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
              {"name":"nullableList","type":["null",{"type":"array","items":["null","int"]}],"default":null}
            ]}""");

    private final String scope = "connect-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of("schema.registry.url", "mock://" + scope);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void allAvroTypesRoundTripThroughConnect() {
        GenericRecord original = allTypes();
        byte[] written = serialize("all", original);

        AvroConverter converter = converter(false);
        SchemaAndValue connect = converter.toConnectData("all", written);
        Struct struct = (Struct) connect.value();
        assertEquals("test.avro.AllTypes", connect.schema().name());
        assertEquals(7, struct.getInt32("i"));
        assertEquals("GREEN", struct.getString("color"));
        assertEquals("test.avro.Color", connect.schema().field("color").schema().parameters().get(AvroConnectNames.ENUM));
        assertArrayEquals(new byte[] {1, 2, 3}, struct.getBytes("bytes"));
        assertArrayEquals(new byte[] {9, 8, 7, 6}, struct.getBytes("fixed"));
        assertEquals(List.of("a", "b"), struct.getStruct("nested").getArray("tags"));
        assertEquals("first", struct.getArray("items").stream().map(Struct.class::cast).findFirst().orElseThrow().getString("name"));
        assertEquals(Map.of("x", 1, "y", 2), struct.getMap("counts"));
        assertNull(struct.get("optionalText"));
        assertTrue(connect.schema().field("optionalText").schema().isOptional());
        Struct choice = struct.getStruct("choice");
        assertEquals(AvroConnectNames.UNION, choice.schema().name());
        assertEquals(42L, choice.get("long"));
        assertNull(choice.get("Item"));
        assertEquals("n", struct.getStruct("either").getStruct("Item").getString("name"));
        assertEquals("none", connect.schema().field("withDefault").schema().defaultValue());
        assertEquals(Date.LOGICAL_NAME, connect.schema().field("day").schema().name());
        assertEquals(new java.util.Date(20_000L * 86_400_000L), struct.get("day"));
        assertEquals(Timestamp.LOGICAL_NAME, connect.schema().field("at").schema().name());
        assertEquals(new java.util.Date(1_764_000_000_123L), struct.get("at"));
        assertEquals(Decimal.LOGICAL_NAME, connect.schema().field("amount").schema().name());
        assertEquals(new BigDecimal("1234.56"), struct.get("amount"));
        assertEquals(java.util.Arrays.asList(1, null, 3), struct.getArray("nullableList"));

        byte[] rewritten = converter.fromConnectData("all-copy", connect.schema(), connect.value());
        GenericRecord back = (GenericRecord) deserializer().deserialize("all-copy", rewritten);
        assertEquals(SchemaNormalization.toParsingForm(ALL_TYPES), SchemaNormalization.toParsingForm(back.getSchema()));
        assertEquals(GenericData.get().toString(original), GenericData.get().toString(back));
        assertEquals("an int", back.getSchema().getField("i").doc());
        assertEquals("none", back.getSchema().getField("withDefault").defaultVal());
        assertEquals(Map.of(), back.getSchema().getField("counts").defaultVal());
    }

    @Test
    void resultRecordsFromTheStreamsAppReachSinksAndComeBackEqual() {
        ClassificationResult classification = ResultSamples.classification("e1", "file:///a.jpg", 3, "tabby", 281, 0.83f);
        DetectionResult detection = ResultSamples.detection("e1", "file:///a.jpg", 3, 2);
        AvroConverter converter = converter(false);

        Struct c = (Struct) converter.toConnectData("images.m", serialize("images.m", classification)).value();
        assertEquals("mobilenetv2-12-int8", c.getStruct("model").getString("id"));
        assertEquals("tabby", ((Struct) c.getArray("labels").getFirst()).getString("label"));
        assertEquals(0.83f, ((Struct) c.getArray("labels").getFirst()).getFloat32("score"));
        assertEquals(3L, c.getStruct("lineage").getInt64("offset"));
        byte[] again = converter.fromConnectData("images.m", c.schema(), c);
        assertEquals(classification, configured(new AvroDeserializer<>(ClassificationResult.class, client())).deserialize("images.m", again));

        Struct d = (Struct) converter.toConnectData("images.d", serialize("images.d", detection)).value();
        assertEquals(100f, ((Struct) d.getArray("detections").getFirst()).getStruct("box").getFloat32("x2"));
        byte[] detectionAgain = converter.fromConnectData("images.d", d.schema(), d);
        assertEquals(detection, configured(new AvroDeserializer<>(DetectionResult.class, client())).deserialize("images.d", detectionAgain));
    }

    @Test
    void imageEventsWrittenByTheConverterAreReadByTheStreamsAppDeserializer() {
        AvroConnectData data = new AvroConnectData(10);
        for (ImageEvent event : List.of(
                ImageEvent.newBuilder().setId("a").setImage(new ImageRef("file:///x.jpg")).setModels(List.of("m1"))
                        .setAttributes(Map.of("size", "12")).setSourceTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).build(),
                ImageEvent.newBuilder().setId("b").setImage(new InlineImage(ByteBuffer.wrap(new byte[] {1, 2}))).build())) {
            SchemaAndValue connect = data.toConnectData(ImageEvent.getClassSchema(), event);
            Schema written = data.fromConnectSchema(connect.schema());
            assertEquals(SchemaNormalization.toParsingForm(ImageEvent.getClassSchema()), SchemaNormalization.toParsingForm(written));
            assertEquals(ImageEvent.getClassSchema().getField("models").doc(), written.getField("models").doc());
            assertEquals(Map.of(), written.getField("attributes").defaultVal());
            byte[] bytes = converter(false).fromConnectData("images", connect.schema(), connect.value());
            assertEquals(event, configured(new AvroDeserializer<>(ImageEvent.class, client())).deserialize("images", bytes));
        }
        assertEquals(List.of("images-value"), client().getAllSubjects());
    }

    @Test
    void keysUseTheKeySubjectAndPrimitivesRoundTrip() {
        AvroConverter keys = converter(true);
        byte[] bytes = keys.fromConnectData("t", org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "id-1");
        SchemaAndValue back = keys.toConnectData("t", bytes);
        assertEquals("id-1", back.value());
        assertEquals(org.apache.kafka.connect.data.Schema.Type.STRING, back.schema().type());
        assertEquals("id-1", configured(new AvroDeserializer<String>(client())).deserialize("t", bytes));
        assertEquals(List.of("t-key"), client().getAllSubjects());
    }

    @Test
    void nonStringMapKeysTravelAsMapEntries() {
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().name("test.M")
                .field("byId", SchemaBuilder.map(org.apache.kafka.connect.data.Schema.INT32_SCHEMA,
                        org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA).build())
                .field("tiny", org.apache.kafka.connect.data.Schema.INT8_SCHEMA)
                .build();
        Map<Integer, String> byId = new java.util.LinkedHashMap<>();
        byId.put(1, "one");
        byId.put(2, null);
        Struct value = new Struct(schema).put("byId", byId).put("tiny", (byte) 5);
        AvroConverter converter = converter(false);
        SchemaAndValue back = converter.toConnectData("m", converter.fromConnectData("m", schema, value));
        assertEquals(value, back.value());
        assertEquals(schema, back.schema());
    }

    @Test
    void nullsAreTombstonesAndNullableFieldsStayNull() {
        AvroConverter converter = converter(false);
        assertNull(converter.fromConnectData("t", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA, null));
        assertSame(SchemaAndValue.NULL, converter.toConnectData("t", null));
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().name("test.N")
                .field("text", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                .field("when", Timestamp.builder().optional().build())
                .build();
        SchemaAndValue back = converter.toConnectData("t", converter.fromConnectData("t", schema, new Struct(schema)));
        assertNull(((Struct) back.value()).get("text"));
        assertNull(((Struct) back.value()).get("when"));
        assertThrows(DataException.class, () -> converter.fromConnectData("t", null, "schemaless"));
    }

    @Test
    void schemasAreConvertedOncePerSchema() {
        AvroConverter converter = converter(false);
        byte[] first = serialize("c", ResultSamples.classification("e1", "u", 1, "tabby", 281, 0.8f));
        SchemaAndValue a = converter.toConnectData("c", first);
        SchemaAndValue b = converter.toConnectData("c", serialize("c", ResultSamples.classification("e2", "v", 2, "dog", 5, 0.7f)));
        assertSame(a.schema(), b.schema());
        for (int i = 0; i < 50; i++) {
            converter.fromConnectData("c", a.schema(), a.value());
        }
        assertEquals(1, converter.cachedSchemas());
    }

    @Test
    void payloadsNotInTheWireFormatAreDataErrors() {
        AvroConverter converter = converter(false);
        DataException e = assertThrows(DataException.class, () -> converter.toConnectData("t", new byte[] {1, 0, 0, 0, 1, 2}));
        assertTrue(e.getMessage().contains("magic byte"), e.getMessage());
        assertThrows(DataException.class, () -> converter.toConnectData("t", new byte[] {0, 0, 0, 0x7f, 1}));
    }

    private AvroConverter converter(boolean isKey) {
        AvroConverter converter = new AvroConverter();
        converter.configure(config, isKey);
        return converter;
    }

    private SchemaRegistryClient client() {
        return MockSchemaRegistry.clientForScope(scope);
    }

    private byte[] serialize(String topic, Object record) {
        try (AvroSerializer<Object> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            return serializer.serialize(topic, record);
        }
    }

    private <T> AvroDeserializer<T> configured(AvroDeserializer<T> deserializer) {
        deserializer.configure(config, false);
        return deserializer;
    }

    private AvroDeserializer<Object> deserializer() {
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>(client());
        deserializer.configure(config, false);
        return deserializer;
    }

    private static GenericRecord allTypes() {
        Schema nestedSchema = ALL_TYPES.getField("nested").schema();
        Schema itemSchema = ALL_TYPES.getField("items").schema().getElementType();
        GenericData.Record nested = new GenericData.Record(nestedSchema);
        nested.put("x", 1);
        nested.put("tags", List.of("a", "b"));
        GenericData.Record item = new GenericData.Record(itemSchema);
        item.put("name", "first");
        item.put("note", "noted");
        GenericData.Record other = new GenericData.Record(itemSchema);
        other.put("name", "n");
        GenericData.Record r = new GenericData.Record(ALL_TYPES);
        r.put("b", true);
        r.put("i", 7);
        r.put("l", 1L << 40);
        r.put("f", 1.5f);
        r.put("d", 2.25);
        r.put("s", "text");
        r.put("bytes", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.put("fixed", new GenericData.Fixed(ALL_TYPES.getField("fixed").schema(), new byte[] {9, 8, 7, 6}));
        r.put("color", new GenericData.EnumSymbol(ALL_TYPES.getField("color").schema(), "GREEN"));
        r.put("nested", nested);
        r.put("items", List.of(item, other));
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("x", 1);
        counts.put("y", 2);
        r.put("counts", counts);
        r.put("optionalText", null);
        r.put("optionalNested", null);
        r.put("choice", 42L);
        r.put("either", other);
        r.put("withDefault", "set");
        r.put("day", 20_000);
        r.put("at", 1_764_000_000_123L);
        r.put("amount", ByteBuffer.wrap(new BigDecimal("1234.56").unscaledValue().toByteArray()));
        r.put("nullableList", java.util.Arrays.asList(1, null, 3));
        return r;
    }
}

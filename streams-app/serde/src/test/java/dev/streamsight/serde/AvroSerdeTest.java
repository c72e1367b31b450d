package dev.streamsight.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private static final Schema SENSOR_V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Sensor","namespace":"example","fields":[
              {"name":"id","type":"string"},{"name":"value","type":"double"}]}""");
    private static final Schema SENSOR_V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Sensor","namespace":"example","fields":[
              {"name":"id","type":"string"},{"name":"value","type":"double"},
              {"name":"unit","type":"string","default":"celsius"}]}""");

    private final String scope = Samples.scope();
    private final SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "mock://" + scope);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private <T> byte[] serialize(String topic, T value, Object... keyValues) {
        try (AvroSerializer<T> serializer = new AvroSerializer<>()) {
            serializer.configure(config(keyValues), false);
            return serializer.serialize(topic, value);
        }
    }

    private <T> T deserialize(AvroDeserializer<T> deserializer, String topic, byte[] bytes, Object... keyValues) {
        try (deserializer) {
            deserializer.configure(config(keyValues), false);
            return deserializer.deserialize(topic, bytes);
        }
    }

    static Stream<SpecificRecord> streamsightRecords() {
        return Stream.of(Samples.imageEvent(), Samples.inlineImageEvent(), Samples.classification(), Samples.detection(),
                Samples.deadLetter(), Samples.undeserializableDeadLetter());
    }

    @ParameterizedTest
    @MethodSource("streamsightRecords")
    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> void specificSerdeRoundTripsEveryStreamsightSchema(T record) {
        try (Serde<T> serde = AvroSerdes.specific((Class<T>) record.getClass(), config(), false)) {
            byte[] bytes = serde.serializer().serialize("images", record);

            assertEquals(WireFormat.MAGIC_BYTE, bytes[0]);
            assertEquals(registry.lookup("images-value", record.getSchema()).id(), WireFormat.schemaId(bytes));
            assertEquals(record, serde.deserializer().deserialize("images", bytes));
        }
    }

    @ParameterizedTest
    @MethodSource("streamsightRecords")
    void genericReaderGetsTheSameFieldsAndWritesTheSameBytes(SpecificRecord record) {
        byte[] bytes = serialize("out", record);

        GenericRecord generic = deserialize(new AvroDeserializer<>(), "out", bytes);

        assertEquals(record.getSchema(), generic.getSchema());
        assertEquals(record.getSchema().getFields().size(), generic.getSchema().getFields().size());
        // Written back as a GenericRecord, the bytes are the same: the generic path is a faithful view.
        assertArrayEquals(bytes, serialize("out", generic));
    }

    @Test
    void specificAvroReaderTurnsWriterRecordNameIntoGeneratedClass() {
        byte[] bytes = serialize("images", Samples.imageEvent());

        Object value = deserialize(new AvroDeserializer<>(), "images", bytes, "specific.avro.reader", "true");

        ImageEvent event = assertInstanceOf(ImageEvent.class, value);
        assertEquals(Samples.imageEvent(), event);
        assertEquals("file:///data/cat.jpg", ((ImageRef) event.getImage()).getUri());
    }

    @Test
    void readerSchemaWithADefaultedFieldReadsDataWrittenWithTheOldSchema() {
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-1");
        v1.put("value", 21.5);
        byte[] bytes = serialize("sensors", v1);

        GenericRecord read = deserialize(new AvroDeserializer<>(registry, SENSOR_V2), "sensors", bytes);

        assertEquals(SENSOR_V2, read.getSchema());
        assertEquals("s-1", read.get("id").toString());
        assertEquals(21.5, read.get("value"));
        assertEquals("celsius", read.get("unit").toString());
    }

    @Test
    void generatedClassReadsAnOlderImageEventThatLacksTheOptionalFields() {
        Schema oldImageEvent = new Schema.Parser().parse("""
                {"type":"record","name":"ImageEvent","namespace":"dev.streamsight.avro","fields":[
                  {"name":"id","type":"string"},
                  {"name":"image","type":[{"type":"record","name":"ImageRef","fields":[{"name":"uri","type":"string"}]}]}]}""");
        GenericRecord ref = new GenericData.Record(oldImageEvent.getField("image").schema().getTypes().getFirst());
        ref.put("uri", "https://example.org/a.jpg");
        GenericRecord old = new GenericData.Record(oldImageEvent);
        old.put("id", "evt-old");
        old.put("image", ref);
        byte[] bytes = serialize("images", old);

        ImageEvent event = deserialize(new AvroDeserializer<>(ImageEvent.class, null), "images", bytes);

        assertEquals("evt-old", event.getId());
        assertEquals("https://example.org/a.jpg", ((ImageRef) event.getImage()).getUri());
        assertNull(event.getContentType());
        assertNull(event.getModels());
        assertEquals(Map.of(), event.getAttributes());
        assertNull(event.getSourceTimestamp());
    }

    @Test
    void useLatestVersionOnTheReaderResolvesToTheLatestRegisteredSchema() {
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-2");
        v1.put("value", 3.0);
        byte[] bytes = serialize("sensors", v1);
        registry.register("sensors-value", SENSOR_V2);

        GenericRecord read = deserialize(new AvroDeserializer<>(), "sensors", bytes, "use.latest.version", true);

        assertEquals("celsius", read.get("unit").toString());
    }

    @Test
    void subjectNameStrategiesChooseTheSubject() {
        ImageEvent event = Samples.imageEvent();
        serialize("images", event);
        serialize("images", event, "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        serialize("images", event, "value.subject.name.strategy", "TopicRecordNameStrategy");
        try (AvroSerializer<ImageEvent> keys = new AvroSerializer<>()) {
            keys.configure(config("key.subject.name.strategy", "TopicNameStrategy"), true);
            keys.serialize("keyed", event);
        }

        assertEquals(List.of("dev.streamsight.avro.ImageEvent", "images-dev.streamsight.avro.ImageEvent", "images-value",
                "keyed-key"), registry.getAllSubjects());
        int id = registry.lookup("images-value", event.getSchema()).id();
        assertEquals(id, registry.lookup("dev.streamsight.avro.ImageEvent", event.getSchema()).id(),
                "the same schema keeps its id in every subject");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsASerializationError() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serialize("images", Samples.imageEvent(), "auto.register.schemas", "false"));
        assertTrue(e.getMessage().contains("looking up the schema in subject images-value"), e.getMessage());
        assertEquals(List.of(), registry.getAllSubjects(), "nothing was registered");
    }

    @Test
    void withoutAutoRegisterTheRegisteredIdIsUsed() {
        registry.register("other-value", SENSOR_V2);
        int id = registry.register("sensors-value", SENSOR_V1);
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-3");
        v1.put("value", 1.0);

        byte[] bytes = serialize("sensors", v1, "auto.register.schemas", false);

        assertEquals(2, id);
        assertEquals(id, WireFormat.schemaId(bytes));
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaAndConvertsTheRecord() {
        registry.register("sensors-value", SENSOR_V1);
        int latestId = registry.register("sensors-value", SENSOR_V2);
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-4");
        v1.put("value", 7.25);

        byte[] bytes = serialize("sensors", v1, "auto.register.schemas", "false", "use.latest.version", "true");

        assertEquals(latestId, WireFormat.schemaId(bytes));
        GenericRecord read = deserialize(new AvroDeserializer<>(), "sensors", bytes);
        assertEquals(SENSOR_V2, read.getSchema());
        assertEquals("celsius", read.get("unit").toString());
        assertEquals(7.25, read.get("value"));
    }

    @Test
    void useLatestVersionRefusesARecordTheLatestSchemaCannotRepresent() {
        Schema other = new Schema.Parser().parse("""
                {"type":"record","name":"Sensor","namespace":"example","fields":[
                  {"name":"id","type":"string"},{"name":"serial","type":"long"}]}""");
        registry.register("sensors-value", other);
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-5");
        v1.put("value", 1.0);

        SerializationException e = assertThrows(SerializationException.class,
                () -> serialize("sensors", v1, "auto.register.schemas", "false", "use.latest.version", "true"));
        assertTrue(e.getMessage().contains("cannot represent"), e.getMessage());
    }

    @Test
    void incompatibleSchemaIsRejectedAtRegistration() {
        registry.register("sensors-value", SENSOR_V1);
        Schema breaking = new Schema.Parser().parse("""
                {"type":"record","name":"Sensor","namespace":"example","fields":[
                  {"name":"id","type":"string"},{"name":"value","type":"double"},{"name":"unit","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(breaking);
        record.put("id", "s-6");
        record.put("value", 1.0);
        record.put("unit", "kelvin");

        SerializationException e = assertThrows(SerializationException.class, () -> serialize("sensors", record));
        RegistryException cause = assertInstanceOf(RegistryException.class, e.getCause());
        assertEquals(409, cause.status());
        assertEquals(List.of(1), registry.versions("sensors-value"));
    }

    @Test
    void primitivesRoundTripAsConfluentDoes() {
        assertEquals("hello", deserialize(new AvroDeserializer<>(), "s", serialize("s", "hello")));
        assertEquals(42L, (Long) deserialize(new AvroDeserializer<>(), "l", serialize("l", 42L)));
        byte[] raw = {1, 2, 3};
        byte[] back = deserialize(new AvroDeserializer<>(), "b", serialize("b", raw));
        assertArrayEquals(raw, back);
        assertTrue(registry.getAllSubjects().containsAll(List.of("s-value", "l-value", "b-value")));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serialize("images", null));
        assertNull(deserialize(new AvroDeserializer<>(), "images", null));
    }

    @Test
    void unsupportedTypeIsASerializationError() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serialize("images", new java.util.Date()));
        assertTrue(e.getMessage().contains("java.util.Date"), e.getMessage());
    }

    @Test
    void wrongMagicByteIsAPreciseSerializationError() {
        byte[] bytes = serialize("images", Samples.imageEvent());
        bytes[0] = 0x7b; // '{': e.g. JSON written to an Avro topic

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(ImageEvent.class, null), "images", bytes));
        assertTrue(e.getMessage().contains("Unknown magic byte 0x7b"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.NOT_WIRE_FORMAT, ((InvalidPayloadException) e).problem());
    }

    @Test
    void truncatedPayloadIsAPreciseSerializationError() {
        byte[] bytes = serialize("images", Samples.classification());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(ClassificationResult.class, null), "images", truncated));
        assertTrue(e.getMessage().startsWith("Truncated Avro payload"), e.getMessage());
        assertTrue(e.getMessage().contains("dev.streamsight.avro.ClassificationResult"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.MALFORMED_AVRO, ((InvalidPayloadException) e).problem());
    }

    @Test
    void headerOnlyPayloadIsTruncated() {
        int id = registry.register("images-value", DetectionResult.getClassSchema());
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(), "images", WireFormat.header(id)));
        assertTrue(e.getMessage().startsWith("Truncated Avro payload: 0 body byte(s)"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.MALFORMED_AVRO, ((InvalidPayloadException) e).problem());
    }

    @Test
    void trailingBytesAreASerializationError() {
        byte[] bytes = serialize("images", Samples.deadLetter());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(DeadLetter.class, null), "images", longer));
        assertTrue(e.getMessage().startsWith("2 trailing byte(s)"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.MALFORMED_AVRO, ((InvalidPayloadException) e).problem());
    }

    @Test
    void unknownSchemaIdIsAPreciseSerializationError() {
        byte[] body = Arrays.copyOfRange(serialize("images", Samples.imageEvent()), WireFormat.HEADER_SIZE, 20);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(), "images", WireFormat.frame(999, body)));
        assertTrue(e.getMessage().startsWith("Unknown schema id 999 (topic images)"), e.getMessage());
        assertEquals(RegistryException.SCHEMA_NOT_FOUND, ((RegistryException) e.getCause()).errorCode());
        assertEquals(InvalidPayloadException.Problem.UNKNOWN_SCHEMA_ID, ((InvalidPayloadException) e).problem());
    }

    @Test
    void bodyThatDoesNotFitTheReaderIsASerializationError() {
        // Written as a Sensor, read as an ImageEvent: no resolution exists between the two.
        GenericRecord v1 = new GenericData.Record(SENSOR_V1);
        v1.put("id", "s-7");
        v1.put("value", 1.0);
        byte[] bytes = serialize("images", v1);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserialize(new AvroDeserializer<>(ImageEvent.class, null), "images", bytes));
        assertTrue(e.getMessage().startsWith("Cannot decode Avro payload with schema id 1 (example.Sensor) as "
                + "dev.streamsight.avro.ImageEvent"), e.getMessage());
        assertEquals(InvalidPayloadException.Problem.SCHEMA_MISMATCH, ((InvalidPayloadException) e).problem());
    }

    @Test
    void garbageBodyUnderAValidSchemaIdIsMalformedNotAMismatch() {
        int id = registry.register("images-value", ImageEvent.getClassSchema());
        // 0x01: a negative zig-zag length for the id string; then bytes that are no ImageEvent.
        byte[] bytes = WireFormat.frame(id, new byte[] {0x01, (byte) 0xff, (byte) 0xfe, 0x7f, 0x00, 0x13});

        InvalidPayloadException e = assertThrows(InvalidPayloadException.class,
                () -> deserialize(new AvroDeserializer<>(ImageEvent.class, null), "images", bytes));
        assertEquals(InvalidPayloadException.Problem.MALFORMED_AVRO, e.problem(), e.getMessage());
    }

    @Test
    void usingASerdeBeforeConfigureFailsClearly() {
        assertThrows(IllegalStateException.class, () -> new AvroSerializer<>(registry).serialize("t", "x"));
    }
}

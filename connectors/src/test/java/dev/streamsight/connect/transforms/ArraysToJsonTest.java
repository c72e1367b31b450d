package dev.streamsight.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.connect.ResultSamples;
import dev.streamsight.connect.converter.AvroConnectData;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ArraysToJsonTest {

    @Test
    void topKLabelsBecomeJsonTextAndOtherFieldsStay() {
        ClassificationResult result = ResultSamples.classification("e1", "file:///a.jpg", 7, "tabby", 281, 0.75f);
        SchemaAndValue value = new AvroConnectData(4).toConnectData(ClassificationResult.getClassSchema(), result);
        try (ArraysToJson<SinkRecord> transform = new ArraysToJson<>()) {
            transform.configure(Map.of());
            SinkRecord out = transform.apply(new SinkRecord("t", 0, Schema.STRING_SCHEMA, "e1", value.schema(), value.value(), 7));
            Struct struct = (Struct) out.value();
            assertEquals(Schema.Type.STRING, out.valueSchema().field("labels").schema().type());
            assertEquals("[{\"index\":281,\"label\":\"tabby\",\"score\":0.75},{\"index\":282,\"label\":\"runner-up\",\"score\":0.125}]",
                    struct.getString("labels"));
            assertEquals("e1", struct.getString("eventId"));
            assertEquals(7L, struct.getStruct("lineage").getInt64("offset"));
            SinkRecord plain = new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "x", 1);
            assertSame(plain, transform.apply(plain));
        }
    }
}

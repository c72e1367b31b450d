package dev.streamsight.serde;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.Detection;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fully populated record of each Streamsight schema, for round trips. */
final class Samples {

    private Samples() {
    }

    static String scope() {
        return "test-" + UUID.randomUUID();
    }

    static ImageEvent imageEvent() {
        return ImageEvent.newBuilder()
                .setId("evt-1")
                .setImage(ImageRef.newBuilder().setUri("file:///data/cat.jpg").build())
                .setContentType("image/jpeg")
                .setModels(List.of("mobilenetv2-12-int8", "yolox-nano"))
                .setAttributes(Map.of("camera", "north-gate"))
                .setSourceTimestamp(Instant.parse("2026-11-25T10:15:30.123Z"))
                .build();
    }

    static ImageEvent inlineImageEvent() {
        return ImageEvent.newBuilder()
                .setId("evt-2")
                .setImage(InlineImage.newBuilder().setBytes(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2})).build())
                .build();
    }

    static ModelRef model() {
        return ModelRef.newBuilder().setId("yolox-nano").setVersion("1").setSha256("695e750a").build();
    }

    static Lineage lineage() {
        return Lineage.newBuilder().setTopic("images").setPartition(3).setOffset(42L).build();
    }

    static Timings timings() {
        return Timings.newBuilder().setQueueWaitMs(1.5).setFetchMs(0.25).setDecodeMs(3.75).setInferenceMs(12.0)
                .setBatchSize(8).build();
    }

    static ClassificationResult classification() {
        return ClassificationResult.newBuilder()
                .setEventId("evt-1")
                .setImageUri("file:///data/cat.jpg")
                .setModel(ModelRef.newBuilder().setId("mobilenetv2-12-int8").build())
                .setExecutionProvider("CPU")
                .setLabels(List.of(
                        Label.newBuilder().setIndex(282).setLabel("tiger cat").setScore(0.416f).build(),
                        Label.newBuilder().setIndex(285).setLabel("Egyptian cat").setScore(0.354f).build()))
                .setImageSize(ImageSize.newBuilder().setWidth(640).setHeight(480).build())
                .setTimings(timings())
                .setLineage(lineage())
                .build();
    }

    static DetectionResult detection() {
        return DetectionResult.newBuilder()
                .setEventId("evt-1")
                .setImageUri(null)
                .setModel(model())
                .setExecutionProvider("CUDA")
                .setDetections(List.of(Detection.newBuilder().setIndex(0).setLabel("person").setScore(0.91f)
                        .setBox(BoundingBox.newBuilder().setX1(10f).setY1(20.5f).setX2(110f).setY2(220.25f).build())
                        .build()))
                .setImageSize(ImageSize.newBuilder().setWidth(1920).setHeight(1080).build())
                .setTimings(timings())
                .setLineage(lineage())
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setEvent(imageEvent())
                .setRawValue(null)
                .setReasonCode("DECODE_FAILED")
                .setMessage("Not a JPEG file: starts with 0x89 0x50")
                .setStage("decode")
                .setLineage(lineage())
                .setTimestamp(Instant.parse("2026-11-25T10:15:31.456Z"))
                .setModel(model())
                .build();
    }

    static DeadLetter undeserializableDeadLetter() {
        return DeadLetter.newBuilder()
                .setRawValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setReasonCode("DESERIALIZATION_FAILED")
                .setMessage("Unknown magic byte 0x01")
                .setStage("deserialize")
                .setLineage(lineage())
                .setTimestamp(Instant.parse("2026-11-25T10:15:32Z"))
                .build();
    }
}

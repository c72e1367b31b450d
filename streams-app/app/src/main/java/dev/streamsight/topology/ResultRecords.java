package dev.streamsight.topology;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.time.Instant;
import java.util.List;

/** Builds the Avro records the topology writes. Stateless. */
final class ResultRecords {
    private ResultRecords() {
    }

    static ModelRef modelRef(LoadedModel m) {
        return ModelRef.newBuilder().setId(m.id()).setVersion(m.descriptor().version())
                .setSha256(m.sha256()).build();
    }

    static String imageUri(ImageEvent event) {
        return event.getImage() instanceof ImageRef ref ? ref.getUri() : null;
    }

    static ClassificationResult classification(ImageEvent event, Lineage lineage, LoadedModel model,
            Classification c, Timings timings) {
        List<Label> labels = c.top().stream().map(ResultRecords::label).toList();
        return ClassificationResult.newBuilder()
                .setEventId(event.getId())
                .setImageUri(imageUri(event))
                .setModel(modelRef(model))
                .setExecutionProvider(model.provider().id())
                .setLabels(labels)
                .setImageSize(new ImageSize(c.width(), c.height()))
                .setTimings(timings)
                .setLineage(lineage)
                .build();
    }

    static DetectionResult detection(ImageEvent event, Lineage lineage, LoadedModel model,
            dev.streamsight.inference.DetectionResult d, Timings timings) {
        List<dev.streamsight.avro.Detection> detections = d.detections().stream()
                .map(ResultRecords::detection).toList();
        return DetectionResult.newBuilder()
                .setEventId(event.getId())
                .setImageUri(imageUri(event))
                .setModel(modelRef(model))
                .setExecutionProvider(model.provider().id())
                .setDetections(detections)
                .setImageSize(new ImageSize(d.width(), d.height()))
                .setTimings(timings)
                .setLineage(lineage)
                .build();
    }

    static DeadLetter deadLetter(ImageEvent event, byte[] raw, String reasonCode, String message,
            Stage stage, Lineage lineage, ModelRef model) {
        return DeadLetter.newBuilder()
                .setEvent(event)
                .setRawValue(raw == null ? null : java.nio.ByteBuffer.wrap(raw))
                .setReasonCode(reasonCode)
                .setMessage(message == null ? reasonCode : message)
                .setStage(stage.id())
                .setLineage(lineage)
                .setTimestamp(Instant.now())
                .setModel(model)
                .build();
    }

    private static Label label(ScoredLabel s) {
        return new Label(s.index(), s.label(), s.score());
    }

    private static dev.streamsight.avro.Detection detection(Detection d) {
        return dev.streamsight.avro.Detection.newBuilder().setIndex(d.index()).setLabel(d.label())
                .setScore(d.score()).setBox(new BoundingBox(d.x1(), d.y1(), d.x2(), d.y2())).build();
    }
}

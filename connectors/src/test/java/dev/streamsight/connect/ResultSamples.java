package dev.streamsight.connect;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.Detection;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import java.util.List;

/** Realistic result records, as the pipeline writes them for a classifier and a detector. */
public final class ResultSamples {

    private ResultSamples() {
    }

    public static ClassificationResult classification(String eventId, String uri, long offset, String label, int index, float score) {
        return ClassificationResult.newBuilder()
                .setEventId(eventId)
                .setImageUri(uri)
                .setModel(ModelRef.newBuilder().setId("mobilenetv2-12-int8").setVersion("1")
                        .setSha256("3f1a0c2e9b7d4e5f").build())
                .setExecutionProvider("CPU")
                .setLabels(List.of(
                        Label.newBuilder().setIndex(index).setLabel(label).setScore(score).build(),
                        Label.newBuilder().setIndex(index + 1).setLabel("runner-up").setScore((1 - score) / 2).build()))
                .setImageSize(ImageSize.newBuilder().setWidth(640).setHeight(480).build())
                .setTimings(Timings.newBuilder().setQueueWaitMs(1.5).setFetchMs(0.25).setDecodeMs(3.75)
                        .setInferenceMs(12.0).setBatchSize(8).build())
                .setLineage(Lineage.newBuilder().setTopic("images").setPartition(0).setOffset(offset).build())
                .build();
    }

    public static DetectionResult detection(String eventId, String uri, long offset, int objects) {
        List<Detection> detections = new java.util.ArrayList<>();
        for (int i = 0; i < objects; i++) {
            detections.add(Detection.newBuilder().setIndex(i == 0 ? 16 : 0).setLabel(i == 0 ? "dog" : "person")
                    .setScore(0.9f - 0.1f * i)
                    .setBox(BoundingBox.newBuilder().setX1(10f * i).setY1(20f).setX2(100f + i).setY2(200f).build())
                    .build());
        }
        return DetectionResult.newBuilder()
                .setEventId(eventId)
                .setImageUri(uri)
                .setModel(ModelRef.newBuilder().setId("yolox-nano").build())
                .setExecutionProvider("CPU")
                .setDetections(detections)
                .setImageSize(ImageSize.newBuilder().setWidth(768).setHeight(576).build())
                .setTimings(Timings.newBuilder().setQueueWaitMs(0.5).setFetchMs(1.25).setDecodeMs(4.5)
                        .setInferenceMs(30.0).setBatchSize(4).build())
                .setLineage(Lineage.newBuilder().setTopic("images").setPartition(0).setOffset(offset).build())
                .build();
    }
}

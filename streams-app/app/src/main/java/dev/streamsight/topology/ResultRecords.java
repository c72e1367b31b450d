package dev.streamsight.topology;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Builds the Avro records the topology writes. Stateless. */
final class ResultRecords {
    static final String PRODUCTION_FAILED = "PRODUCTION_FAILED";
    private static final int QUOTED_CHARS = 500;

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
                .setRawValue(raw == null ? null : ByteBuffer.wrap(raw))
                .setReasonCode(reasonCode)
                .setMessage(message == null ? reasonCode : message)
                .setStage(stage.id())
                .setLineage(lineage)
                .setTimestamp(Instant.now())
                .setModel(model)
                .build();
    }

    /**
     * The dead letter that stands for an output record the producer cannot take ({@code refused}: a
     * result or a dead letter): {@code PRODUCTION_FAILED} at stage {@code produce}, for the same input
     * record and model, saying {@code why}. A refused dead letter's event is kept without its inline
     * image's bytes, which is what makes an event large; a result holds no event, so none is kept.
     *
     * @return null when {@code refused} is not one of the topology's records
     */
    static DeadLetter productionFailed(Object refused, String why) {
        return switch (refused) {
            case ClassificationResult c -> deadLetter(null, null, PRODUCTION_FAILED, "the classification result of "
                    + c.getModel().getId() + " for event " + c.getEventId() + " " + why, Stage.PRODUCE,
                    c.getLineage(), c.getModel());
            case DetectionResult d -> deadLetter(null, null, PRODUCTION_FAILED, "the detection result of "
                    + d.getModel().getId() + " for event " + d.getEventId() + " " + why, Stage.PRODUCE,
                    d.getLineage(), d.getModel());
            case DeadLetter d -> {
                ImageEvent event = withoutImageBytes(d.getEvent());
                String left = event == d.getEvent() ? "" : "; the event's inline image ("
                        + ((InlineImage) d.getEvent().getImage()).getBytes().remaining() + " bytes) is left out";
                yield deadLetter(event, null, PRODUCTION_FAILED, "the dead letter " + d.getReasonCode() + " ("
                        + d.getStage() + ": " + shorten(d.getMessage()) + ") " + why + left, Stage.PRODUCE,
                        d.getLineage(), d.getModel());
            }
            case null, default -> null;
        };
    }

    /** {@code event} with its inline image's bytes left out; the same instance when it has none. */
    static ImageEvent withoutImageBytes(ImageEvent event) {
        if (event == null || !(event.getImage() instanceof InlineImage inline) || !inline.getBytes().hasRemaining()) {
            return event;
        }
        return ImageEvent.newBuilder(event).setImage(new InlineImage(ByteBuffer.allocate(0))).build();
    }

    /** Messages quoted in other messages are cut at {@value #QUOTED_CHARS} characters. */
    static String shorten(String message) {
        return message == null || message.length() <= QUOTED_CHARS ? message
                : message.substring(0, QUOTED_CHARS) + "...";
    }

    private static Label label(ScoredLabel s) {
        return new Label(s.index(), s.label(), s.score());
    }

    private static dev.streamsight.avro.Detection detection(Detection d) {
        return dev.streamsight.avro.Detection.newBuilder().setIndex(d.index()).setLabel(d.label())
                .setScore(d.score()).setBox(new BoundingBox(d.x1(), d.y1(), d.x2(), d.y2())).build();
    }
}

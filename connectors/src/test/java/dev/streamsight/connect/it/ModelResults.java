package dev.streamsight.connect.it;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.Detection;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.inference.Prediction;
import dev.streamsight.inference.StageTimings;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.postprocess.DetectionOptions;
import java.util.List;

/**
 * Result records as the pipeline writes them, from the real classifier and detector run on real
 * photos here (the record mapping mirrors the application's). Loads both models; close it after use.
 */
final class ModelResults implements AutoCloseable {
    private final LoadedModel classifier;
    private final LoadedModel detector;

    ModelResults() {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        classifier = loader.load("mobilenetv2-12-int8");
        detector = loader.load("yolox-nano");
    }

    ClassificationResult classify(String eventId, String uri, long offset, byte[] image) {
        Prediction<Classification> p = classifier.classify(List.of(ImageInput.encoded(image)), 5).getFirst();
        if (!p.ok()) {
            throw new IllegalStateException("the classifier failed on " + uri + ": " + p.error());
        }
        Classification c = p.value();
        return ClassificationResult.newBuilder()
                .setEventId(eventId)
                .setImageUri(uri)
                .setModel(ref(classifier))
                .setExecutionProvider(classifier.provider().id())
                .setLabels(c.top().stream().map(s -> new Label(s.index(), s.label(), s.score())).toList())
                .setImageSize(new ImageSize(c.width(), c.height()))
                .setTimings(timings(p.timings()))
                .setLineage(new Lineage("images", 0, offset))
                .build();
    }

    DetectionResult detect(String eventId, String uri, long offset, byte[] image) {
        Prediction<dev.streamsight.inference.DetectionResult> p =
                detector.detect(List.of(ImageInput.encoded(image)), DetectionOptions.DEFAULT).getFirst();
        if (!p.ok()) {
            throw new IllegalStateException("the detector failed on " + uri + ": " + p.error());
        }
        dev.streamsight.inference.DetectionResult d = p.value();
        return DetectionResult.newBuilder()
                .setEventId(eventId)
                .setImageUri(uri)
                .setModel(ref(detector))
                .setExecutionProvider(detector.provider().id())
                .setDetections(d.detections().stream().map(x -> Detection.newBuilder().setIndex(x.index())
                        .setLabel(x.label()).setScore(x.score())
                        .setBox(new BoundingBox(x.x1(), x.y1(), x.x2(), x.y2())).build()).toList())
                .setImageSize(new ImageSize(d.width(), d.height()))
                .setTimings(timings(p.timings()))
                .setLineage(new Lineage("images", 0, offset))
                .build();
    }

    private static ModelRef ref(LoadedModel m) {
        return ModelRef.newBuilder().setId(m.id()).setVersion(m.descriptor().version()).setSha256(m.sha256()).build();
    }

    private static Timings timings(StageTimings t) {
        return new Timings(0.0, 0.0, (t.decodeNanos() + t.preprocessNanos()) / 1e6, t.inferenceNanos() / 1e6,
                t.batchSize());
    }

    @Override
    public void close() {
        classifier.close();
        detector.close();
    }
}

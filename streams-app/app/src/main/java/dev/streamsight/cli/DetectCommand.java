package dev.streamsight.cli;

import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.DetectionResult;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.Prediction;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.DetectionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight detect}: objects and their boxes in each image. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Detect objects with a YOLO-family, YOLOX or NanoDet detector.",
                "Boxes are [x1,y1,x2,y2] in the original image's pixels (after EXIF orientation).",
                "Exit status: 0 when every image was processed, 1 when any failed, 2 on a configuration error."})
final class DetectCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "yolox-nano", paramLabel = "ID|PATH",
            description = "Catalog id or ONNX file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--score-threshold", defaultValue = "0.35", paramLabel = "T",
            description = "Minimum confidence (default: ${DEFAULT-VALUE}).")
    float scoreThreshold;

    @Option(names = "--iou-threshold", defaultValue = "0.45", paramLabel = "T",
            description = "NMS IoU threshold (default: ${DEFAULT-VALUE}).")
    float iouThreshold;

    @Option(names = "--max-detections", defaultValue = "100", paramLabel = "N",
            description = "At most N boxes per image (default: ${DEFAULT-VALUE}).")
    int maxDetections;

    @Option(names = "--class-agnostic", description = "NMS across classes instead of per class.")
    boolean classAgnostic;

    @Option(names = "--draw", paramLabel = "DIR", description = "Write copies of the images with labelled boxes to DIR.")
    Path drawDir;

    @Option(names = "--json", description = "One JSON object per image on stdout.")
    boolean json;

    @Mixin
    EngineOptionsMixin engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images: files, directories or URIs.")
    List<String> images;

    @Override
    public Integer call() {
        DetectionOptions options;
        try {
            options = new DetectionOptions(scoreThreshold, iouThreshold, maxDetections, classAgnostic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid detection option: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        ImageFetcher fetcher = new ImageFetcher(engine.fetchOptions());
        BoxPainter painter = drawDir == null ? null : new BoxPainter(drawDir, fetcher, engine.maxPixels);
        try (LoadedModel m = engine.load(model, dev.streamsight.model.Task.DETECTION, "classify")) {
            boolean ok = ImageBatches.process(ImageArguments.expand(images), fetcher,
                    ImageBatches.groupSize(m.batchCapacity()), batch -> m.detect(batch, options),
                    new ImageBatches.PrintingSink<DetectionResult>(out, json) {
                        @Override
                        public void result(String image, Prediction<DetectionResult> p) {
                            DetectionResult r = p.value();
                            if (json) {
                                Map<String, Object> line = new LinkedHashMap<>();
                                line.put("image", image);
                                line.put("model", m.id());
                                line.put("width", r.width());
                                line.put("height", r.height());
                                line.put("detections", JsonLines.detections(r.detections()));
                                lines.write(line);
                            } else {
                                out.println(image + " (" + r.width() + "x" + r.height() + "): " + text(r.detections()));
                            }
                            if (painter != null) {
                                painter.paint(image, r);
                            }
                        }

                    });
            out.flush();
            return ok ? 0 : 1;
        }
    }

    private static String text(List<Detection> detections) {
        if (detections.isEmpty()) {
            return "nothing found";
        }
        return detections.stream().map(d -> String.format(Locale.ROOT, "%s %.3f [%.0f,%.0f,%.0f,%.0f]",
                d.label(), d.score(), d.x1(), d.y1(), d.x2(), d.y2())).collect(Collectors.joining(", "));
    }
}

package dev.streamsight.cli;

import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.Prediction;
import dev.streamsight.postprocess.ScoredLabel;
import java.io.PrintWriter;
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

/** {@code streamsight classify}: the top classes of each image. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Classify images with an ImageNet-style classifier.",
                "IMAGE is a file, a directory (its files, in name order) or a file:// or http(s):// URI.",
                "Exit status: 0 when every image was classified, 1 when any failed, 2 on a configuration error."})
final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "mobilenetv2-12-int8", paramLabel = "ID|PATH",
            description = "Catalog id or ONNX file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Classes per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per image on stdout.")
    boolean json;

    @Mixin
    EngineOptionsMixin engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images to classify.")
    List<String> images;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + top);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LoadedModel m = engine.load(model, dev.streamsight.model.Task.CLASSIFICATION, "detect")) {
            ImageFetcher fetcher = new ImageFetcher(engine.fetchOptions());
            boolean ok = ImageBatches.process(ImageArguments.expand(images), fetcher,
                    ImageBatches.groupSize(m.batchCapacity()), batch -> m.classify(batch, top),
                    new ImageBatches.PrintingSink<Classification>(out, json) {
                        @Override
                        public void result(String image, Prediction<Classification> p) {
                            if (json) {
                                Map<String, Object> line = new LinkedHashMap<>();
                                line.put("image", image);
                                line.put("model", m.id());
                                line.put("top", JsonLines.top(p.value().top()));
                                lines.write(line);
                            } else {
                                out.println(image + ": " + text(p.value().top()));
                            }
                        }

                    });
            out.flush();
            return ok ? 0 : 1;
        }
    }

    private static String text(List<ScoredLabel> top) {
        return top.stream().map(s -> String.format(Locale.ROOT, "%s %.3f", s.label(), s.score()))
                .collect(Collectors.joining(", "));
    }
}

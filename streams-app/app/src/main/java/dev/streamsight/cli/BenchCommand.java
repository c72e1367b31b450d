package dev.streamsight.cli;

import dev.streamsight.bench.PreprocessBenchmark;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.inference.Prediction;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight bench}: throughput benchmarks of the pipeline's stages. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (more stages come with the streaming pipeline).",
        subcommands = {BenchCommand.Preprocess.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "preprocess", mixinStandardHelpOptions = true,
            description = {"Decode + preprocess throughput (one thread) of the fast JPEG path",
                    "(libjpeg-turbo: reduced DCT scale, only the region the model reads) against the",
                    "pure-Java fallback, for a model's input, in alternating rounds; and the per-image",
                    "top-1 agreement of the two paths through that model."})
    static final class Preprocess implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "mobilenetv2-12-int8", paramLabel = "ID|PATH",
                description = "Model whose preprocessing is measured (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--rounds", defaultValue = "31", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup", defaultValue = "5", description = "Warm-up rounds (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--json", description = "One JSON object on stdout.")
        boolean json;

        @Mixin
        EngineOptionsMixin engine;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images (files or directories).")
        List<String> images;

        @Override
        public Integer call() {
            ImageDecoders.fastJpegUnavailableReason().ifPresent(why -> {
                throw new IllegalArgumentException("the fast JPEG path is unavailable: " + why);
            });
            ImageFetcher fetcher = new ImageFetcher(engine.fetchOptions());
            List<String> refs = ImageArguments.expand(images);
            List<byte[]> encoded = new ArrayList<>();
            for (String r : refs) {
                encoded.add(fetcher.fetch(r));
            }
            DecoderOptions decoderOptions = new DecoderOptions(engine.maxPixels);
            ImageDecoder fast = ImageDecoders.standard(decoderOptions);
            ImageDecoder fallback = ImageDecoders.fallback(decoderOptions);
            ModelLocator locator = ModelLocator.fromEnvironment();
            LabelResolver labels = LabelResolver.fromEnvironment();
            Map<String, Object> report = new LinkedHashMap<>();
            try (LoadedModel fastModel = new ModelLoader(locator, labels, fast, engine.engineOptions()).load(model, engine.descriptor);
                 LoadedModel slowModel = new ModelLoader(locator, labels, fallback, engine.engineOptions()).load(model, engine.descriptor)) {
                var spec = fastModel.descriptor().preprocess();
                DecodeHint hint = fastModel.decodeHint();
                PreprocessBenchmark bench = new PreprocessBenchmark(Preprocessors.create(spec), hint);
                PreprocessBenchmark.Comparison comparison = bench.compare("fast (libjpeg-turbo, region decoding)", fast,
                        "fallback (javax.imageio)", fallback, encoded, warmup, rounds);
                PreprocessBenchmark.Result slow = comparison.baseline();
                PreprocessBenchmark.Result quick = comparison.candidate();
                List<ImageInput> inputs = encoded.stream().map(ImageInput::encoded).toList();
                List<Prediction<Classification>> a = fastModel.classify(inputs, 1);
                List<Prediction<Classification>> b = slowModel.classify(inputs, 1);
                int agree = 0;
                int compared = 0;
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).ok() && b.get(i).ok()) {
                        compared++;
                        if (a.get(i).value().top().get(0).index() == b.get(i).value().top().get(0).index()) {
                            agree++;
                        }
                    }
                }
                report.put("benchmark", "preprocess");
                report.put("model", fastModel.id());
                report.put("target", spec.width() + "x" + spec.height());
                report.put("resize_target", spec.resizeTarget());
                report.put("min_decode_short_side", hint.minShortSide());
                report.put("images", encoded.size());
                report.put("fast", rates(quick));
                report.put("fallback", rates(slow));
                report.put("speedup", round(comparison.speedup()));
                report.put("median_round_speedup", round(comparison.medianRoundSpeedup()));
                report.put("top1_agreement", agree);
                report.put("top1_compared", compared);
            }
            if (json) {
                new JsonLines(spec.commandLine().getOut()).write(report);
            } else {
                spec.commandLine().getOut().println(JsonLines.toJson(report));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }

        private static Map<String, Object> rates(PreprocessBenchmark.Result r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decoder", r.decoder());
            m.put("images_per_s", round(r.bestImagesPerSecond()));
            m.put("mean_images_per_s", round(r.meanImagesPerSecond()));
            m.put("ms_per_image", round(1000.0 / r.bestImagesPerSecond()));
            m.put("rounds", r.rounds());
            m.put("failures", r.failures());
            return m;
        }

        private static double round(double v) {
            return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
        }
    }
}

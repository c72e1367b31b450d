package dev.streamsight.cli;

import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ExecutionProvider;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.fetch.FetchOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class EngineOptionsMixin {
    @Option(names = "--provider", paramLabel = "cpu|cuda|tensorrt", defaultValue = "cpu",
            converter = ProviderConverter.class,
            description = "ONNX Runtime execution provider (default: ${DEFAULT-VALUE}).")
    ExecutionProvider provider;

    @Option(names = "--allow-provider-fallback",
            description = "Run on CPU when the requested GPU provider cannot load, instead of failing.")
    boolean allowFallback;

    @Option(names = "--device-id", defaultValue = "0", paramLabel = "N", description = "GPU ordinal.")
    int deviceId;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: ONNX Runtime's choice).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "auto", paramLabel = "auto|N",
            description = "Largest batch sent to a model with a dynamic batch dimension: auto (the fastest here, up"
                    + " to 16, timed at load) or N (default: ${DEFAULT-VALUE}).")
    String batchSize;

    @Option(names = "--descriptor", paramLabel = "FILE",
            description = "Model descriptor (JSON) to use instead of the catalog's or a sidecar's.")
    Path descriptor;

    @Option(names = "--max-pixels", defaultValue = "100000000", paramLabel = "N",
            description = "Refuse images whose declared size exceeds N pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--min-decode-ratio", defaultValue = "2.0", paramLabel = "R",
            description = "A JPEG may be decoded at reduced DCT scale while its shorter side stays at least"
                    + " R times the model's resize target (default: ${DEFAULT-VALUE}).")
    double minDecodeRatio;

    @Option(names = "--max-image-bytes", defaultValue = "52428800", paramLabel = "N",
            description = "Refuse encoded images larger than N bytes (default: ${DEFAULT-VALUE}).")
    long maxImageBytes;

    FetchOptions fetchOptions() {
        if (maxImageBytes < 1) {
            throw new IllegalArgumentException("--max-image-bytes must be at least 1, got " + maxImageBytes);
        }
        // The user names the images: any file, any address.
        return FetchOptions.forCommandLine().withMaxBytes(maxImageBytes);
    }

    EngineOptions engineOptions() {
        boolean auto = "auto".equalsIgnoreCase(batchSize.trim());
        int max = EngineOptions.DEFAULT_MAX_BATCH;
        if (!auto) {
            try {
                max = Integer.parseInt(batchSize.trim());
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1 || max > 4096) {
                throw new IllegalArgumentException("--batch-size must be auto or between 1 and 4096, got '"
                        + batchSize + "'");
            }
        }
        return new EngineOptions(provider, allowFallback, deviceId, threads, max, null, minDecodeRatio, auto);
    }

    /**
     * Loads {@code model} for a command that needs {@code task}; a model of the other task is a
     * configuration error naming the command to use instead.
     */
    LoadedModel load(String model, dev.streamsight.model.Task task, String otherCommand) {
        LoadedModel m = loader().load(model, descriptor);
        if (m.task() != task) {
            String actual = m.task().name().toLowerCase();
            m.close();
            throw new IllegalArgumentException("--model " + model + " is a " + actual + " model; use '"
                    + otherCommand + "' for it");
        }
        return m;
    }

    ModelLoader loader() {
        return new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(new DecoderOptions(maxPixels)), engineOptions());
    }

    static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<ExecutionProvider> {
        @Override
        public ExecutionProvider convert(String value) {
            return ExecutionProvider.parse(value);
        }
    }
}

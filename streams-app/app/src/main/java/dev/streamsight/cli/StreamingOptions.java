package dev.streamsight.cli;

import dev.streamsight.config.StreamsightConfig;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code replay} share about how the pipeline processes and logs: the
 * processing guarantee, batching and the log format. Each fills the configuration key of the same
 * name as a flag, so it wins over the file, the environment and {@code -p}. A picocli mixin: filled
 * on the command's thread, then read once.
 */
final class StreamingOptions {
    @Option(names = "--processing-guarantee", paramLabel = "exactly_once_v2|at_least_once",
            description = "Processing guarantee (default exactly_once_v2).")
    String processingGuarantee;

    @Option(names = "--batch-size", paramLabel = "N", description = "Flush a batch at N pending images (default 16).")
    String batchSize;

    @Option(names = "--max-wait", paramLabel = "DURATION",
            description = "Flush when the oldest pending image waited this long (default 100ms).")
    String maxWait;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines on stderr as text or one JSON object each (key log.format; default text).")
    String logFormat;

    StreamsightConfig.Builder fill(StreamsightConfig.Builder builder) {
        return builder
                .flag(StreamsightConfig.PROCESSING_GUARANTEE, processingGuarantee, "--processing-guarantee")
                .flag(StreamsightConfig.BATCH_SIZE, batchSize, "--batch-size")
                .flag(StreamsightConfig.BATCH_MAX_WAIT, maxWait, "--max-wait")
                .flag(StreamsightConfig.LOG_FORMAT, logFormat, "--log-format");
    }
}

package dev.streamsight.topology;

import dev.streamsight.fetch.FetchOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the streaming topology does, independent of how Kafka is reached: input topics, models,
 * batching, output topic names and fetch limits. Immutable; validated on construction with
 * messages that name the configuration key.
 *
 * @param inputTopics topics of {@code ImageEvent}s
 * @param models model ids to run (each event may ask for a subset)
 * @param batchSize flush the pending images of a task when this many are waiting
 * @param maxWait flush when the oldest pending image has waited this long (wall clock)
 * @param resultTopicTemplate results topic per input topic and model: {@code {input}} and
 *     {@code {model}} are replaced ({@code {input}.{model}}, e.g. {@code images.yolox-nano});
 *     {@code {model}} is required when several models run
 * @param deadLetterTopicTemplate dead-letter topic per input topic ({@code {input}.dlq})
 * @param fetch limits for fetching image references
 * @param fetchConcurrency image fetches in flight at once per flush
 */
public record PipelineSettings(List<String> inputTopics, List<String> models, int batchSize,
        Duration maxWait, String resultTopicTemplate, String deadLetterTopicTemplate,
        FetchOptions fetch, int fetchConcurrency) {

    public static final String DEFAULT_RESULT_TOPIC = "{input}.{model}";
    public static final String DEFAULT_DLQ_TOPIC = "{input}.dlq";

    public PipelineSettings {
        inputTopics = List.copyOf(inputTopics);
        models = List.copyOf(models);
        if (inputTopics.isEmpty() || inputTopics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("input.topics: at least one non-empty topic name is needed");
        }
        if (models.isEmpty() || models.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new IllegalArgumentException("models: at least one model id is needed");
        }
        if (models.stream().distinct().count() != models.size()) {
            throw new IllegalArgumentException("models: " + models + " names a model twice");
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batch.size: must be between 1 and 4096, got " + batchSize);
        }
        Objects.requireNonNull(maxWait, "batch.max.wait");
        if (maxWait.isNegative() || maxWait.isZero() || maxWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("batch.max.wait: must be between 1 ms and 1 minute, got " + maxWait);
        }
        if (models.size() > 1 && !resultTopicTemplate.contains("{model}")) {
            throw new IllegalArgumentException("results.topic: '" + resultTopicTemplate
                    + "' must contain {model}, or every model's results would share one topic");
        }
        Objects.requireNonNull(deadLetterTopicTemplate, "dlq.topic");
        Objects.requireNonNull(fetch, "fetch");
        if (fetchConcurrency < 1) {
            throw new IllegalArgumentException("fetch.concurrency: must be >= 1, got " + fetchConcurrency);
        }
        for (String in : inputTopics) {
            for (String model : models) {
                String out = resultTopicTemplate.replace("{input}", in).replace("{model}", model);
                if (inputTopics.contains(out)) {
                    throw new IllegalArgumentException("results.topic: '" + resultTopicTemplate + "' makes " + out
                            + " both an input and an output topic (a feedback loop)");
                }
            }
            String dlq = deadLetterTopicTemplate.replace("{input}", in);
            if (inputTopics.contains(dlq)) {
                throw new IllegalArgumentException("dlq.topic: '" + deadLetterTopicTemplate + "' makes "
                        + dlq + " both an input and a dead-letter topic (a feedback loop)");
            }
        }
    }

    /** Defaults for one input topic and the given models (fetching as {@link FetchOptions#forEvents()}). */
    public static PipelineSettings defaults(String inputTopic, List<String> models) {
        return new PipelineSettings(List.of(inputTopic), models, 16, Duration.ofMillis(100),
                DEFAULT_RESULT_TOPIC, DEFAULT_DLQ_TOPIC, FetchOptions.forEvents(), 32);
    }

    public String resultTopic(String inputTopic, String model) {
        return resultTopicTemplate.replace("{input}", inputTopic).replace("{model}", model);
    }

    public String deadLetterTopic(String inputTopic) {
        return deadLetterTopicTemplate.replace("{input}", inputTopic);
    }

    /** Every output topic the topology writes to, for creating them up front. */
    public List<String> outputTopics() {
        return inputTopics.stream().flatMap(in -> java.util.stream.Stream.concat(
                models.stream().map(m -> resultTopic(in, m)), java.util.stream.Stream.of(deadLetterTopic(in))))
                .distinct().toList();
    }

    /** When a task's pending images run: {@code batch.size} and {@code batch.max.wait}. */
    public BatchPolicy batchPolicy() {
        return new BatchPolicy(batchSize, maxWait);
    }

    public PipelineSettings withBatch(int size, Duration wait) {
        return new PipelineSettings(inputTopics, models, size, wait, resultTopicTemplate,
                deadLetterTopicTemplate, fetch, fetchConcurrency);
    }

    public PipelineSettings withFetch(FetchOptions options) {
        return new PipelineSettings(inputTopics, models, batchSize, maxWait, resultTopicTemplate,
                deadLetterTopicTemplate, options, fetchConcurrency);
    }
}

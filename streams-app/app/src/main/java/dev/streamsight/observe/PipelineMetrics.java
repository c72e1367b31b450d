package dev.streamsight.observe;

import dev.streamsight.inference.LoadedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The meters of one pipeline instance, behind methods named after what happened, so that the topology
 * needs no Micrometer types. Every meter name gets the {@value #PREFIX} prefix (a {@link MeterFilter},
 * so Kafka Streams' own metrics get it too); in the Prometheus text format ({@link #scrape()}):
 * <ul>
 *   <li>{@code streamsight_events_in_total{topic}}: events read, those that become dead letters included;</li>
 *   <li>{@code streamsight_results_out_total{model}}: results forwarded;</li>
 *   <li>{@code streamsight_dead_letters_total{reason}}: dead letters forwarded, by reason code (the
 *       deserialization handler's, the processor's and the production handler's);</li>
 *   <li>{@code streamsight_batch_size{model}}: images per engine call (buckets 1, 2, 4, ... 64);</li>
 *   <li>{@code streamsight_queue_wait_seconds{model}}: from an event's arrival in the processor to the
 *       start of its batch;</li>
 *   <li>{@code streamsight_fetch_seconds}, {@code streamsight_decode_seconds}: per image;
 *       {@code streamsight_inference_seconds{model,provider}}: per engine call;</li>
 *   <li>{@code streamsight_model_info{model,provider,version}} = 1 per loaded model;
 *       {@code streamsight_ready} = 1 when ready ({@link Readiness});</li>
 *   <li>Kafka Streams' client metrics ({@code streamsight_kafka_consumer_fetch_manager_records_lag_max},
 *       ...), JVM memory and threads, CPU and uptime.</li>
 * </ul>
 * Outputs are counted when forwarded: under exactly_once_v2 a transaction that is aborted and replayed
 * counts its events and outputs again, and an output the production handler replaces counts as what it
 * was and as a {@code PRODUCTION_FAILED} dead letter.
 *
 * <p>One instance per application instance. Handlers that Kafka Streams instantiates by class name find
 * it under {@value #CONFIG} in their configuration ({@link #from(Map)}). Thread-safe.
 */
public final class PipelineMetrics implements AutoCloseable {
    /** The Kafka Streams property that carries the instance to the exception handlers. */
    public static final String CONFIG = "streamsight.metrics";
    /** Prefix of every meter name ({@code streamsight.} becomes {@code streamsight_} in Prometheus). */
    public static final String PREFIX = "streamsight.";

    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64};
    private static final MeterFilter PREFIX_EVERY_NAME = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
        }
    };
    private static final PipelineMetrics NOOP = new PipelineMetrics(new CompositeMeterRegistry(), null);

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus; // null: nothing to scrape
    private final Map<String, Counter> eventsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> resultsOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, Timer> queueWaits = new ConcurrentHashMap<>();
    private final Map<String, Timer> inferences = new ConcurrentHashMap<>();
    private final Timer fetch;
    private final Timer decode;
    private KafkaStreamsMetrics kafkaStreams; // guarded by this

    private PipelineMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.fetch = stageTimer("fetch", "time to fetch one image (file, http(s)), once it has a fetch slot",
                Tags.empty());
        this.decode = stageTimer("decode", "time to decode one image", Tags.empty());
    }

    /** Meters that go nowhere: the default of the topology, for tests and commands without an endpoint. */
    public static PipelineMetrics noop() {
        return NOOP;
    }

    /** Meters in a new Prometheus registry, with JVM and process meters. */
    public static PipelineMetrics prometheus() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().meterFilter(PREFIX_EVERY_NAME);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return new PipelineMetrics(r, r);
    }

    /** The instance handed over in a handler's configuration under {@value #CONFIG}, else {@link #noop()}. */
    public static PipelineMetrics from(Map<String, ?> configs) {
        return configs.get(CONFIG) instanceof PipelineMetrics m ? m : NOOP;
    }

    /** The Prometheus text exposition of every meter (empty for {@link #noop()}). */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /** The registry, for meters of other parts. */
    public MeterRegistry registry() {
        return registry;
    }

    /** An event read from {@code topic} (whatever becomes of it). */
    public void eventIn(String topic) {
        counter(eventsIn, topic, t -> Counter.builder("events.in").tag("topic", t)
                .description("image events read, those that become dead letters included"));
    }

    /** A result of {@code model} forwarded. */
    public void resultOut(String model) {
        counter(resultsOut, model, m -> Counter.builder("results.out").tag("model", m)
                .description("results forwarded to the results topics"));
    }

    /** A dead letter forwarded, with its reason code. */
    public void deadLetter(String reason) {
        counter(deadLetters, String.valueOf(reason), r -> Counter.builder("dead.letters").tag("reason", r)
                .description("dead letters forwarded, by reason code"));
    }

    /** One engine call of {@code model} on {@code provider}: its batch size and how long it took. */
    public void inference(String model, String provider, int batchSize, long nanos) {
        batchSizes.computeIfAbsent(model, m -> DistributionSummary.builder("batch.size").tag("model", m)
                .description("images per engine call")
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry)).record(batchSize);
        inferences.computeIfAbsent(model + '\0' + provider, k -> stageTimer("inference",
                "time of one engine call (preprocessing, the ONNX Runtime run, postprocessing)",
                Tags.of("model", model, "provider", provider))).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** How long an event waited in the pending store before its batch of {@code model} started. */
    public void queueWait(String model, long millis) {
        queueWaits.computeIfAbsent(model, m -> stageTimer("queue.wait",
                "time from an event's arrival in the processor to the start of its batch", Tags.of("model", m)))
                .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** One image fetched. */
    public void fetched(long nanos) {
        fetch.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One image decoded. */
    public void decoded(long nanos) {
        decode.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code streamsight_model_info{model,provider,version} 1} for a loaded model. */
    public void modelLoaded(LoadedModel model) {
        modelInfo(model.id(), model.provider().id(), model.descriptor().version());
    }

    /** {@code streamsight_model_info{model,provider,version} 1}. */
    public void modelInfo(String model, String provider, String version) {
        if (prometheus == null) {
            return; // nothing scrapes it; the shared no-op registry would warn on the next run's model
        }
        Gauge.builder("model.info", () -> 1)
                .description("1 per loaded model, with the execution provider in use")
                .tags("model", model, "provider", provider,
                        "version", version == null || version.isBlank() ? "unknown" : version)
                .register(registry);
    }

    /** {@code streamsight_ready}: 1 while {@code readiness} says ready, else 0. */
    public void bindReadiness(Readiness readiness) {
        if (prometheus == null) {
            return;
        }
        Gauge.builder("ready", readiness, r -> r.ready().ok() ? 1 : 0)
                .description("1 when the instance is ready (Kafka Streams RUNNING, models loaded)")
                .register(registry);
    }

    /** Binds Kafka Streams' client metrics (consumer lag among them) until {@link #close()}. */
    public synchronized void bindKafkaStreams(KafkaStreams streams) {
        if (prometheus == null) {
            return;
        }
        if (kafkaStreams != null) {
            kafkaStreams.close();
        }
        kafkaStreams = new KafkaStreamsMetrics(streams);
        kafkaStreams.bindTo(registry);
    }

    /** Stops following Kafka Streams' metrics; the registry's other meters stay. Idempotent. */
    @Override
    public synchronized void close() {
        if (kafkaStreams != null) {
            kafkaStreams.close();
            kafkaStreams = null;
        }
    }

    private Timer stageTimer(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    private void counter(Map<String, Counter> cache, String tag, Function<String, Counter.Builder> builder) {
        cache.computeIfAbsent(tag, t -> builder.apply(t).register(registry)).increment();
    }
}

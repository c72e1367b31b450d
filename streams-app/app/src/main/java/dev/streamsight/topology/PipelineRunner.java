package dev.streamsight.topology;

import dev.streamsight.config.ConfigException;
import dev.streamsight.config.Durations;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.observe.PipelineMetrics;
import dev.streamsight.observe.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Streamsight application instance: the models, the shared pipeline resources and a
 * {@link KafkaStreams} running {@link ImagePipeline}'s topology.
 *
 * <p><b>Lifecycle.</b> {@link #start(StreamsightConfig)} loads the models (unless given), creates
 * the missing topics with an Admin client, logs the effective configuration (secrets masked), each
 * model with its execution provider and the topics, then starts Kafka Streams with a
 * {@link ThreadFailurePolicy} and returns at once (Kafka Streams joins its group and restores its
 * pending store in its own threads; {@link #awaitRunning(Duration)} waits for that).
 * {@link #close()} calls {@code KafkaStreams.close(shutdown.timeout)} (leaving the group), then
 * closes the resources and the models it loaded. A clean close commits what was processed; images
 * still pending in the changelogged store stay there and are processed after the next start, never
 * half-written (under exactly_once_v2 an unfinished transaction is aborted).
 *
 * <p><b>Threading.</b> The methods are thread-safe; {@link #close()} is idempotent and may be called
 * from a shutdown hook or signal handler while another thread waits in {@link #awaitTermination}.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final StreamsightConfig config;
    private final PipelineSettings settings;
    private final List<LoadedModel> models;
    private final boolean ownsModels;
    private final PipelineResources resources;
    private final KafkaStreams streams;
    private final Map<String, Integer> topics;
    private final CompletableFuture<KafkaStreams.State> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
    private final InstanceStateDir stateDir; // null when state.dir was set explicitly
    private final PipelineMetrics metrics;
    private final Readiness readiness;
    private boolean closed; // guarded by this

    private PipelineRunner(StreamsightConfig config, PipelineSettings settings, List<LoadedModel> models,
            boolean ownsModels, PipelineResources resources, KafkaStreams streams, Map<String, Integer> topics,
            InstanceStateDir stateDir, PipelineMetrics metrics, Readiness readiness) {
        this.stateDir = stateDir;
        this.metrics = metrics;
        this.readiness = readiness;
        this.config = config;
        this.settings = settings;
        this.models = List.copyOf(models);
        this.ownsModels = ownsModels;
        this.resources = resources;
        this.streams = streams;
        this.topics = Map.copyOf(topics);
    }

    /** Loads the configured models (the caller closes them). Closes those already loaded if one fails. */
    public static List<LoadedModel> loadModels(StreamsightConfig config) {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(config.decoderOptions()), config.engineOptions());
        List<LoadedModel> loaded = new ArrayList<>();
        try {
            for (String id : config.models()) {
                loaded.add(loader.load(id));
            }
            return loaded;
        } catch (RuntimeException e) {
            loaded.forEach(LoadedModel::close);
            throw e;
        }
    }

    /** Loads the models and starts the pipeline; the runner owns (and closes) the models. */
    public static PipelineRunner start(StreamsightConfig config) {
        return start(config, PipelineMetrics.noop(), new Readiness());
    }

    /**
     * Loads the models and starts the pipeline reporting to {@code metrics} and {@code readiness} (which
     * may be served already, while the models load); the runner owns (and closes) the models.
     */
    public static PipelineRunner start(StreamsightConfig config, PipelineMetrics metrics, Readiness readiness) {
        List<LoadedModel> loaded = loadModels(config);
        try {
            return start(config, loaded, true, null, metrics, readiness);
        } catch (RuntimeException e) {
            loaded.forEach(LoadedModel::close);
            throw e;
        }
    }

    /**
     * Starts the pipeline with models loaded by the caller, in the order of {@code models}.
     *
     * @param ownsModels whether {@link #close()} closes the models
     * @throws ConfigException when bootstrap servers or the schema registry are not configured
     */
    public static PipelineRunner start(StreamsightConfig config, List<LoadedModel> models, boolean ownsModels) {
        return start(config, models, ownsModels, null);
    }

    /**
     * Starts the pipeline over a bounded {@code range} of its input (a replay; see {@link
     * ImagePipeline#build(PipelineSettings, ModelSet, PipelineResources, Map, OffsetRange)}), or over
     * everything when it is null.
     */
    public static PipelineRunner start(StreamsightConfig config, List<LoadedModel> models, boolean ownsModels,
            OffsetRange range) {
        return start(config, models, ownsModels, range, PipelineMetrics.noop(), new Readiness());
    }

    /**
     * The same, reporting to {@code metrics} (bound to the Kafka Streams instance, handed to the exception
     * handlers under {@value PipelineMetrics#CONFIG}) and {@code readiness} (the models, as loaded and
     * warmed up by {@link ModelLoader}, and every state change).
     */
    public static PipelineRunner start(StreamsightConfig config, List<LoadedModel> models, boolean ownsModels,
            OffsetRange range, PipelineMetrics metrics, Readiness readiness) {
        String bootstrap = config.bootstrapServers().orElseThrow(() -> new ConfigException(
                StreamsightConfig.BOOTSTRAP_SERVERS, "no Kafka cluster configured: pass --bootstrap-server, set"
                        + " STREAMSIGHT_BOOTSTRAP_SERVERS, or set bootstrap.servers in the --config file"));
        config.schemaRegistryUrl().orElseThrow(() -> new ConfigException(StreamsightConfig.SCHEMA_REGISTRY_URL,
                "no schema registry configured: pass --schema-registry, set STREAMSIGHT_SCHEMA_REGISTRY_URL, or"
                        + " set schema.registry.url in the --config file"));
        // Model ids as loaded (a model given by path gets its descriptor's id).
        PipelineSettings base = config.pipelineSettings();
        PipelineSettings settings = new PipelineSettings(base.inputTopics(),
                models.stream().map(LoadedModel::id).toList(), base.batchSize(), base.maxWait(),
                base.resultTopicTemplate(), base.deadLetterTopicTemplate(), base.fetch(), base.fetchConcurrency());

        LOG.info("effective configuration:\n{}", config.describe());
        if (!config.unrecognizedKeys().isEmpty()) {
            LOG.warn("configuration keys that neither Kafka nor Streamsight know, passed through as they are: {}",
                    config.unrecognizedKeys());
        }
        FetchOptions fetch = settings.fetch();
        LOG.info("fetching {}{}; http(s) from {} ({} opens more), at most {} redirects", fetch.files(),
                fetch.files().refusesAll() ? " (" + StreamsightConfig.FETCH_FILE_ROOTS + " names the directories"
                        + " file:// images may be read from)" : "",
                fetch.addresses(), StreamsightConfig.FETCH_HTTP_ALLOW, fetch.maxRedirects());
        for (LoadedModel m : models) {
            LOG.info("model {} ({}, version {}, sha256 {}) on execution provider {}, batches of up to {}", m.id(),
                    m.task().name().toLowerCase(java.util.Locale.ROOT), m.descriptor().version(),
                    m.sha256().substring(0, Math.min(12, m.sha256().length())), m.provider().id(),
                    m.batchCapacity());
            metrics.modelLoaded(m);
        }
        readiness.modelsReady(models.size());

        Map<String, Object> clientProps = config.clientProperties();
        Map<String, Object> props = config.kafkaProperties();
        Map<String, Integer> topics;
        RecordSizeLimits limits;
        try (Admin admin = Admin.create(clientProps)) {
            topics = TopicProvisioner.ensure(admin, config, settings);
            List<String> written = new ArrayList<>(settings.outputTopics());
            written.add(InferenceProcessor.changelogTopic(config.applicationId()));
            limits = RecordSizeLimits.discover(admin, clientProps, written, props);
            LOG.info("largest records taken: {}", limits.describe(written));
        }
        LOG.info("topics: input {}; results {}; dead letters {}", describe(settings.inputTopics(), topics),
                describe(settings.inputTopics().stream().flatMap(in -> settings.models().stream()
                        .map(m -> settings.resultTopic(in, m))).distinct().toList(), topics),
                describe(settings.inputTopics().stream().map(settings::deadLetterTopic).distinct().toList(), topics));

        props.putAll(ImagePipeline.requiredStreamsConfig(settings, range));
        props.put(RecordSizeLimits.CONFIG, limits);
        props.put(PipelineMetrics.CONFIG, metrics);
        failoverDefaults(props);
        storeDefaults(props);
        pollDefault(props, settings);
        int inputPartitions = settings.inputTopics().stream().mapToInt(t -> topics.getOrDefault(t, 1)).sum();
        threadDefault(props, Runtime.getRuntime().availableProcessors(), inputPartitions);
        LOG.info("{} stream thread(s) ({})", props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG),
                config.kafkaProperties().containsKey(StreamsConfig.NUM_STREAM_THREADS_CONFIG)
                        ? StreamsConfig.NUM_STREAM_THREADS_CONFIG
                        : "one per core, at most one per input partition, unless " + StreamsConfig.NUM_STREAM_THREADS_CONFIG
                                + " is set");
        InstanceStateDir claimed = null;
        if (config.explicitStateDir().isPresent()) {
            InstanceStateDir.checkFree(config.explicitStateDir().get(), config.applicationId());
            LOG.info("state directory {} (state.dir)", config.explicitStateDir().get());
        } else {
            claimed = InstanceStateDir.claim(config.stateRoot(), config.applicationId());
            props.put(StreamsConfig.STATE_DIR_CONFIG, claimed.path().toString());
            LOG.info("state directory {} (instance slot {} under {})", claimed.path(), claimed.slot(),
                    StreamsightConfig.STATE_ROOT);
        }
        Properties streamsProps = new Properties();
        streamsProps.putAll(props);
        try {
            new StreamsConfig(streamsProps);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            if (claimed != null) {
                claimed.close();
            }
            throw new ConfigException("kafka", e.getMessage(), e);
        }

        PipelineResources resources = new PipelineResources(new ImageFetcher(settings.fetch()),
                ImageDecoders.standard(config.decoderOptions()), settings.fetchConcurrency(), config.topK(),
                config.detectionOptions(), config.decodeMemoryBytes(), metrics);
        LOG.info("images in flight hold at most {} MiB of fetched bytes and decoded pixels ({}; max heap {} MiB)",
                resources.decodeMemoryBytes() >> 20, StreamsightConfig.IMAGE_DECODE_MEMORY,
                Runtime.getRuntime().maxMemory() >> 20);
        KafkaStreams streams;
        try {
            Topology topology = ImagePipeline.build(settings, new ModelSet(models), resources, props, range);
            streams = new KafkaStreams(topology, streamsProps);
        } catch (RuntimeException e) {
            resources.close();
            if (claimed != null) {
                claimed.close();
            }
            throw e;
        }
        PipelineRunner runner = new PipelineRunner(config, settings, models, ownsModels, resources, streams, topics,
                claimed, metrics, readiness);
        readiness.streamsState(streams.state());
        metrics.bindKafkaStreams(streams);
        streams.setUncaughtExceptionHandler(new ThreadFailurePolicy());
        streams.setStateListener(runner::onStateChange);
        LOG.info("starting Kafka Streams application {} ({}) on {}", config.applicationId(),
                config.processingGuarantee(), bootstrap);
        streams.start();
        return runner;
    }

    /** The pending store's RocksDB sized for what it holds ({@link PendingStoreRocksDbConfig}), unless the user sets one. */
    static void storeDefaults(Map<String, Object> props) {
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, PendingStoreRocksDbConfig.class.getName());
    }

    /**
     * A stream thread blocks in its consumer's poll for at most a punctuation interval of the max wait
     * ({@link BatchPolicy#punctuateInterval}) unless the user sets {@code poll.ms}: wall-clock
     * punctuation runs only between polls, so with Kafka Streams' 100 ms a quiet partition's batch
     * could wait up to 100 ms past {@code batch.max.wait} for the next record to wake its thread. A
     * poll that returns sooner with nothing costs next to nothing; with records flowing, poll returns
     * as soon as they come either way.
     */
    static void pollDefault(Map<String, Object> props, PipelineSettings settings) {
        props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, settings.batchPolicy().punctuateInterval().toMillis());
    }

    /**
     * How fast a killed instance's partitions move on, unless the user chose: its consumer leaves the
     * group after a 10 s session timeout (Kafka's default is 45 s), and under exactly-once its open
     * transaction is aborted after 10 s, after which read_committed consumers and the task's new
     * owner see past it.
     */
    static void failoverDefaults(Map<String, Object> props) {
        String session = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
        if (!props.containsKey(session) && !props.containsKey(StreamsConfig.consumerPrefix(session))
                && !props.containsKey(StreamsConfig.mainConsumerPrefix(session))) {
            props.put(StreamsConfig.mainConsumerPrefix(session), FAILOVER_TIMEOUT_MS);
            props.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                    FAILOVER_TIMEOUT_MS / 3);
        }
        String txn = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        if (!props.containsKey(txn) && !props.containsKey(StreamsConfig.producerPrefix(txn))) {
            props.put(StreamsConfig.producerPrefix(txn), FAILOVER_TIMEOUT_MS);
        }
    }

    /**
     * One stream thread per core unless the user chose, and no more than the input partitions (a thread
     * without a task only costs memory). With one thread a task's fetching and decoding and another's
     * inference take turns and leave cores idle; with a thread per core they overlap (measured on 2
     * cores: 188 images/s with one thread, 254 with two; see the README's sizing figures).
     */
    static void threadDefault(Map<String, Object> props, int cores, int inputPartitions) {
        props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Math.min(cores, inputPartitions)));
    }

    /** Session and transaction timeout of the failover defaults. */
    static final int FAILOVER_TIMEOUT_MS = 10_000;

    private static String describe(List<String> names, Map<String, Integer> partitions) {
        return names.stream().map(t -> t + Optional.ofNullable(partitions.get(t)).map(p -> " (" + p + "p)").orElse(""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        LOG.info("Kafka Streams state {} -> {}", before, now);
        readiness.streamsState(now);
        if (now == KafkaStreams.State.RUNNING) {
            running.complete(now);
        }
        if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING
                || now == KafkaStreams.State.PENDING_ERROR) {
            running.complete(now);
            if (now != KafkaStreams.State.PENDING_ERROR) {
                terminated.complete(now);
            }
        }
    }

    /** The shared resources of this instance's tasks (pending images, counters). */
    public PipelineResources resources() {
        return resources;
    }

    /** The settings the topology runs with (model ids as loaded). */
    public PipelineSettings settings() {
        return settings;
    }

    public StreamsightConfig config() {
        return config;
    }

    /** The models, in configuration order. */
    public List<LoadedModel> models() {
        return models;
    }

    /** Partition count of every input and output topic (when known at start). */
    public Map<String, Integer> topics() {
        return new LinkedHashMap<>(topics);
    }

    /** Liveness and readiness of this instance. */
    public Readiness readiness() {
        return readiness;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * The stream threads Kafka Streams runs now ({@code num.stream.threads}, or one per core up to the
     * partitions); 0 when it is not running or rebalancing.
     */
    public int streamThreads() {
        try {
            return streams.metadataForLocalThreads().size();
        } catch (IllegalStateException | StreamsException e) {
            return 0;
        }
    }

    /**
     * Waits until Kafka Streams is RUNNING (it has its tasks and has restored them).
     *
     * @return false when it did not get there within {@code timeout}
     * @throws IllegalStateException when it stopped or failed instead
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        try {
            KafkaStreams.State s = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (s != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped (" + s + ") before it was running");
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits until Kafka Streams has stopped: closed, or shut down after a fatal error.
     *
     * @return the final state (ERROR after a failure), or empty on timeout
     */
    public Optional<KafkaStreams.State> awaitTermination(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A future completed with the final state when Kafka Streams stops. */
    public CompletableFuture<KafkaStreams.State> termination() {
        return terminated.copy();
    }

    /** Closes within {@code shutdown.timeout}; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(config.shutdownTimeout());
    }

    /**
     * Stops Kafka Streams (leaving the consumer group, committing what was processed), then closes
     * the resources and, when owned, the models. Idempotent.
     *
     * @return whether Kafka Streams stopped within {@code timeout}
     */
    public synchronized boolean close(Duration timeout) {
        if (closed) {
            return true;
        }
        closed = true;
        readiness.stopping();
        long t0 = System.nanoTime();
        LOG.info("stopping Kafka Streams application {} (timeout {})", config.applicationId(),
                Durations.format(timeout));
        boolean clean = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        metrics.close();
        if (clean) {
            resources.close();
            if (ownsModels) {
                models.forEach(LoadedModel::close);
            }
            if (stateDir != null) {
                stateDir.close();
            }
        }
        // After an unclean stop a stream thread may still be inside ONNX Runtime: closing its session
        // under it could crash the JVM, so the models stay open until the process exits.
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (clean) {
            LOG.info("stopped in {} ms", ms);
        } else {
            LOG.warn("Kafka Streams did not stop within {}; unfinished work is replayed by the next start",
                    Durations.format(timeout));
        }
        return clean;
    }
}

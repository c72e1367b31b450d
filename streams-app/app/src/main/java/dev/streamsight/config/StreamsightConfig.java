package dev.streamsight.config;

import dev.streamsight.fetch.AddressPolicy;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.FileAccess;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ExecutionProvider;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.topology.PipelineSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one typed, immutable configuration of a Streamsight application, assembled from, in
 * increasing precedence:
 * <ol>
 *   <li>defaults (below, and {@code application.id=streamsight},
 *       {@code processing.guarantee=exactly_once_v2});</li>
 *   <li>a Java properties file ({@code --config FILE});</li>
 *   <li>environment variables {@code STREAMSIGHT_<KEY>}: the key upper-cased with {@code .} as
 *       {@code _} ({@code STREAMSIGHT_BATCH_SIZE}, {@code STREAMSIGHT_BOOTSTRAP_SERVERS},
 *       {@code STREAMSIGHT_SCHEMA_REGISTRY_URL}). A variable maps to a key only when that key is a
 *       Streamsight key, a Kafka Streams/producer/consumer/admin key or a schema-registry serde key;
 *       other {@code STREAMSIGHT_*} variables ({@code STREAMSIGHT_MODEL_PATH}, ...) belong to other
 *       parts of Streamsight and are ignored here;</li>
 *   <li>command-line properties ({@code -p key=value}), then dedicated command-line flags.</li>
 * </ol>
 *
 * <p>The keys declared below are Streamsight's; any of them may also be written with a
 * {@code streamsight.} prefix (so {@code streamsight.batch.size} is {@code batch.size}), and a
 * {@code streamsight.}-prefixed key that is not one of them is an error. Every other key passes
 * through unchanged to Kafka Streams, its clients and the Avro serdes ({@code bootstrap.servers},
 * {@code application.id}, {@code processing.guarantee}, {@code schema.registry.url},
 * {@code num.stream.threads}, {@code security.protocol}, {@code producer.*}, ...). Two Streamsight
 * keys share a name with a Kafka client key and take it over: {@code batch.size} (the producer's is
 * {@code producer.batch.size}) and {@code fetch.max.bytes} (the consumer's is
 * {@code consumer.fetch.max.bytes}), written with Kafka Streams' standard prefixes.
 *
 * <p>Everything is validated when the configuration is built, with a {@link ConfigException} naming
 * the key and the reason: ranges, durations, {@code processing.guarantee} values, the types of the
 * Kafka keys Kafka knows, and unknown keys that look like a misspelt Streamsight key. Pass-through
 * keys that no one recognises are kept (a serde or plug-in may read them) and listed by
 * {@link #unrecognizedKeys()} so the application can warn.
 *
 * <p>Instances are immutable and thread-safe; {@link #with(Map, String)} returns a new one.
 */
public final class StreamsightConfig {

    // ---- Streamsight keys -------------------------------------------------------------------

    /** Comma-separated topics of {@code ImageEvent}s to read. Default {@code images}. */
    public static final String INPUT_TOPICS = "input.topics";
    /** Comma-separated model ids (or ONNX paths) the pipeline runs on every event that does not name a subset. Default {@code mobilenetv2-12-int8,yolox-nano}. */
    public static final String MODELS = "models";
    /** A task's pending images are run as a batch as soon as this many wait (1..4096). Default 16. */
    public static final String BATCH_SIZE = "batch.size";
    /** ... or when the oldest has waited this long (1 ms .. 1 min; {@code 100ms}, {@code 2s}, ISO-8601). Default 100ms. */
    public static final String BATCH_MAX_WAIT = "batch.max.wait";
    /** Results topic per input topic and model; {@code {input}} and {@code {model}} are replaced, {@code {model}} is required when several models run. Default {@code {input}.{model}}. */
    public static final String RESULTS_TOPIC = "results.topic";
    /** Dead-letter topic per input topic; {@code {input}} is replaced. Default {@code {input}.dlq}. */
    public static final String DLQ_TOPIC = "dlq.topic";
    /** Largest encoded image fetched, in bytes; larger ones are dead letters {@code TOO_LARGE}. Default 52428800 (50 MiB). */
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    /** Connect and read timeout for http(s) images, and the longest one attempt with its redirects may take. Default 10s. */
    public static final String FETCH_TIMEOUT = "fetch.timeout";
    /** http(s) redirects followed per fetch attempt (0..20), each checked like the first URL; more are {@code REDIRECT_LIMIT}. Default 5. */
    public static final String FETCH_MAX_REDIRECTS = "fetch.max.redirects";
    /** Comma-separated directories that file paths and {@code file://} images must lie under (symbolic links resolved); others are refused ({@code FETCH_REFUSED}). Empty (the default): no local file is read. */
    public static final String FETCH_FILE_ROOTS = "fetch.file.roots";
    /**
     * Comma-separated CIDR ranges, IP addresses and host names ({@code *.example.com} for the names
     * below a domain) that http(s) images may come from although they are not public addresses.
     * Loopback, link-local (cloud metadata), private, carrier-grade NAT, multicast, broadcast,
     * unspecified and reserved addresses, and IPv6 forms embedding them, are refused
     * ({@code FETCH_REFUSED}) unless listed. Default empty: public addresses only.
     */
    public static final String FETCH_HTTP_ALLOW = "fetch.http.allow";
    /** Whether http(s) image URIs are fetched at all ({@code UNSUPPORTED_URI} otherwise). Default true. */
    public static final String FETCH_HTTP_ENABLED = "fetch.http.enabled";
    /** Image fetches in flight at once per application instance (1..1024). Default 32. */
    public static final String FETCH_CONCURRENCY = "fetch.concurrency";
    /** Classes per classification result (1..1000). Default 5. */
    public static final String TOP_K = "top.k";
    /** Detections below this confidence are dropped (0..1). Default 0.35. */
    public static final String DETECT_SCORE_THRESHOLD = "detect.score.threshold";
    /** NMS overlap above which the lower-scored box is dropped (0..1). Default 0.45. */
    public static final String DETECT_IOU_THRESHOLD = "detect.iou.threshold";
    /** At most this many detections per image (1..10000). Default 100. */
    public static final String DETECT_MAX_DETECTIONS = "detect.max.detections";
    /** NMS across classes instead of within each class. Default false. */
    public static final String DETECT_CLASS_AGNOSTIC = "detect.class.agnostic";
    /** ONNX Runtime execution provider: {@code cpu}, {@code cuda} or {@code tensorrt}. Default cpu. */
    public static final String PROVIDER = "provider";
    /** Run on CPU when the requested GPU provider cannot load, instead of failing the start. Default false. */
    public static final String PROVIDER_FALLBACK = "provider.fallback";
    /** GPU ordinal for CUDA/TensorRT. Default 0. */
    public static final String PROVIDER_DEVICE_ID = "provider.device.id";
    /** ONNX Runtime intra-op threads per model session; 0: ONNX Runtime's choice. Default 0. */
    public static final String ENGINE_THREADS = "engine.threads";
    /**
     * Largest batch one ONNX Runtime call gets, for models with a dynamic batch dimension: {@code auto}
     * (each model's fastest batch on this machine, up to 16, timed when it loads) or a fixed 1..4096.
     * Default auto.
     */
    public static final String BATCH_MAX_ENGINE = "batch.max.engine";
    /** Images whose declared size exceeds this many pixels are refused before decoding ({@code IMAGE_TOO_LARGE}). Default 100000000. */
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    /** A JPEG may be decoded at reduced DCT scale while its shorter side stays this many times the model's input (>= 1). Default 2.0. */
    public static final String IMAGE_MIN_DECODE_RATIO = "image.min.decode.ratio";
    /**
     * The heap that images in flight may hold at once per instance, fetched bytes and decoded pixels
     * together: a number of bytes (at least 1 MiB, at most the JVM's max heap), or a percentage of the
     * max heap (1% to 90%). Images are decoded in slices that fit; one that cannot fit even alone is
     * refused ({@code IMAGE_TOO_LARGE}). Default {@code 50%}.
     */
    public static final String IMAGE_DECODE_MEMORY = "image.decode.memory";
    /** Whether the application creates its missing input and output topics at start. Default true. */
    public static final String TOPICS_CREATE = "topics.create";
    /** Partitions of topics it creates: a number, or {@code auto} (the first input topic's count when it exists, else 1). Default auto. */
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    /** Replication factor of topics it creates: a number, or {@code auto} (min(3, brokers)). Default auto. */
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    /** How long a clean shutdown may take ({@code KafkaStreams.close(timeout)}). Default 30s. */
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
    /**
     * Directory under which each instance claims its own Kafka Streams state directory when
     * {@code state.dir} is not set; empty: {@code $XDG_STATE_HOME/streamsight}, else
     * {@code ~/.local/state/streamsight}.
     */
    public static final String STATE_ROOT = "state.root";
    /**
     * Port of the metrics and health endpoint of {@code run} and {@code replay} (0..65535; 0: none).
     * When the default is taken (several instances on one host) an ephemeral port is used instead, with a
     * warning; a port set explicitly that is taken is an error. Default 8080 ({@code replay}: 0).
     */
    public static final String HTTP_PORT = "http.port";
    /** Address the metrics and health endpoint listens on; {@code 0.0.0.0}: every interface. Default 0.0.0.0. */
    public static final String HTTP_HOST = "http.host";
    /** Log format on stderr: {@code text}, or {@code json} (one object per line). Default text. */
    public static final String LOG_FORMAT = "log.format";

    // ---- pass-through keys with Streamsight defaults ----------------------------------------

    /** Kafka bootstrap servers ({@code host:port,...}); no default. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Schema registry URL(s); no default. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Kafka Streams application id (consumer group, internal topic prefix). Default {@code streamsight}. */
    public static final String APPLICATION_ID = "application.id";
    /** {@code exactly_once_v2} (the default) or {@code at_least_once}. */
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";

    /** The prefix that Streamsight keys may carry. */
    public static final String PREFIX = "streamsight.";
    /** Where a value set by nobody comes from, in {@link #describe()}. */
    public static final String DEFAULT_ORIGIN = "default";

    private static final String AUTO = "auto";
    private static final String ENV_PREFIX = "STREAMSIGHT_";
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token");
    private static final List<String> SECRET_KEYS = List.of("basic.auth.user.info", "sasl.jaas.config");

    private static final Map<String, String> DEFAULTS = defaults();
    /**
     * {@code processing.exception.handler.global.enabled=true}: the topology has no global state, and
     * Kafka Streams warns at every start until the flag is set (it becomes the default in Kafka 5.0).
     * Kafka Streams 4.4 also reads it from the main consumer's configuration (its partition assignor
     * builds a StreamsConfig from that), hence the second key.
     */
    private static final Map<String, String> PASS_THROUGH_DEFAULTS = Map.of(
            APPLICATION_ID, "streamsight",
            PROCESSING_GUARANTEE, "exactly_once_v2",
            "processing.exception.handler.global.enabled", "true",
            "main.consumer.processing.exception.handler.global.enabled", "true");

    private final Map<String, String> values;      // every key with a value, canonical names
    private final Map<String, String> origins;     // key -> where its value came from
    private final List<String> unrecognized;

    private final List<String> inputTopics;
    private final List<String> models;
    private final int batchSize;
    private final Duration batchMaxWait;
    private final FetchOptions fetchOptions;
    private final int fetchConcurrency;
    private final int topK;
    private final DetectionOptions detectionOptions;
    private final EngineOptions engineOptions;
    private final long maxPixels;
    private final long decodeMemory;
    private final boolean createTopics;
    private final int partitions;
    private final short replicationFactor;
    private final Duration shutdownTimeout;
    private final int httpPort;
    private final String logFormat;
    private final PipelineSettings pipelineSettings;

    private StreamsightConfig(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Map.copyOf(origins);

        String guarantee = get(PROCESSING_GUARANTEE);
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            throw new ConfigException(PROCESSING_GUARANTEE, "must be exactly_once_v2 or at_least_once, got '"
                    + guarantee + "'");
        }
        this.unrecognized = List.copyOf(KafkaKeys.check(passThrough(values)));

        inputTopics = list(INPUT_TOPICS);
        models = list(MODELS);
        batchSize = intValue(BATCH_SIZE, 1, 4096);
        batchMaxWait = duration(BATCH_MAX_WAIT, Duration.ofMillis(1), Duration.ofMinutes(1));
        fetchOptions = parseFetchOptions();
        fetchConcurrency = intValue(FETCH_CONCURRENCY, 1, 1024);
        topK = intValue(TOP_K, 1, 1000);
        detectionOptions = new DetectionOptions(fraction(DETECT_SCORE_THRESHOLD), fraction(DETECT_IOU_THRESHOLD),
                intValue(DETECT_MAX_DETECTIONS, 1, 10_000), bool(DETECT_CLASS_AGNOSTIC));
        ExecutionProvider provider;
        try {
            provider = ExecutionProvider.parse(get(PROVIDER));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PROVIDER, "must be cpu, cuda or tensorrt, got '" + get(PROVIDER) + "'");
        }
        double ratio = doubleValue(IMAGE_MIN_DECODE_RATIO, 1.0, 64.0);
        boolean tuneBatch = AUTO.equalsIgnoreCase(get(BATCH_MAX_ENGINE).trim());
        engineOptions = new EngineOptions(provider, bool(PROVIDER_FALLBACK), intValue(PROVIDER_DEVICE_ID, 0, 1024),
                intValue(ENGINE_THREADS, 0, 1024), tuneBatch ? EngineOptions.DEFAULT_MAX_BATCH : engineBatch(), null,
                ratio, tuneBatch);
        maxPixels = longValue(IMAGE_MAX_PIXELS, 1, Long.MAX_VALUE);
        decodeMemory = heapShare(IMAGE_DECODE_MEMORY);
        createTopics = bool(TOPICS_CREATE);
        partitions = AUTO.equalsIgnoreCase(get(TOPICS_PARTITIONS)) ? 0 : intValue(TOPICS_PARTITIONS, 1, 100_000);
        replicationFactor = (short) (AUTO.equalsIgnoreCase(get(TOPICS_REPLICATION_FACTOR)) ? 0
                : intValue(TOPICS_REPLICATION_FACTOR, 1, Short.MAX_VALUE));
        shutdownTimeout = duration(SHUTDOWN_TIMEOUT, Duration.ZERO, Duration.ofHours(1));
        httpPort = intValue(HTTP_PORT, 0, 65_535);
        if (get(HTTP_HOST).isBlank()) {
            throw new ConfigException(HTTP_HOST, "must not be empty (0.0.0.0: every interface)");
        }
        logFormat = get(LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new ConfigException(LOG_FORMAT, "must be text or json, got '" + get(LOG_FORMAT) + "'");
        }

        if (get(APPLICATION_ID).isBlank()) {
            throw new ConfigException(APPLICATION_ID, "must not be empty");
        }
        for (String t : inputTopics) {
            checkTopicName(INPUT_TOPICS, t);
        }
        try {
            pipelineSettings = new PipelineSettings(inputTopics, models, batchSize, batchMaxWait,
                    get(RESULTS_TOPIC), get(DLQ_TOPIC), fetchOptions, fetchConcurrency);
        } catch (IllegalArgumentException e) {
            throw rekey(e);
        }
        // Topic names of models given by id (a model given by path is named by its descriptor's id,
        // known only once loaded).
        for (String in : inputTopics) {
            checkTopicName(DLQ_TOPIC, pipelineSettings.deadLetterTopic(in));
            for (String m : models) {
                if (!m.contains("/") && !m.endsWith(".onnx") && !m.endsWith(".gz")) {
                    checkTopicName(RESULTS_TOPIC, pipelineSettings.resultTopic(in, m));
                }
            }
        }
    }

    /** Events are written by others: no local files unless roots are named, public addresses unless allowed. */
    private FetchOptions parseFetchOptions() {
        long maxBytes = longValue(FETCH_MAX_BYTES, 1, Long.MAX_VALUE);
        Duration timeout = duration(FETCH_TIMEOUT, Duration.ofMillis(1), Duration.ofHours(1));
        int maxRedirects = intValue(FETCH_MAX_REDIRECTS, 0, FetchOptions.MAX_REDIRECTS_LIMIT);
        List<Path> roots = new ArrayList<>();
        for (String r : list(FETCH_FILE_ROOTS)) {
            Path p = Path.of(r);
            if (!Files.isDirectory(p)) {
                throw new ConfigException(FETCH_FILE_ROOTS, "'" + r + "' is not a directory");
            }
            roots.add(p);
        }
        AddressPolicy addresses;
        try {
            addresses = AddressPolicy.publicOnly(list(FETCH_HTTP_ALLOW));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FETCH_HTTP_ALLOW, e.getMessage(), e);
        }
        return new FetchOptions(maxBytes, timeout, maxRedirects, FileAccess.under(roots), addresses,
                bool(FETCH_HTTP_ENABLED));
    }

    /** A builder that reads nothing yet; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults alone (plus nothing else): what an empty file and environment give. */
    public static StreamsightConfig defaultConfig() {
        return builder().build();
    }

    /** Every Streamsight key (canonical, without prefix), in declaration order. */
    public static Set<String> streamsightKeys() {
        return DEFAULTS.keySet();
    }

    /** Whether {@code key} is a Streamsight key, with or without the {@code streamsight.} prefix. */
    public static boolean isStreamsightKey(String key) {
        return DEFAULTS.containsKey(key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key);
    }

    /** A new configuration with {@code overrides} on top of this one's values, recorded as from {@code origin}. */
    public StreamsightConfig with(Map<String, String> overrides, String origin) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> o = new LinkedHashMap<>(origins);
        overrides.forEach((k, val) -> {
            String key = canonical(k);
            v.put(key, val);
            o.put(key, origin);
        });
        return new StreamsightConfig(v, o);
    }

    // ---- typed views -------------------------------------------------------------------------

    /** The raw value of a key (canonical or prefixed), or empty. */
    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(canonical(key)));
    }

    /** The raw value of a key that has a value (every Streamsight key has one). */
    public String get(String key) {
        String v = values.get(canonical(key));
        if (v == null) {
            throw new ConfigException(key, "is not set");
        }
        return v;
    }

    public Optional<String> bootstrapServers() {
        return find(BOOTSTRAP_SERVERS).filter(s -> !s.isBlank());
    }

    public Optional<String> schemaRegistryUrl() {
        return find(SCHEMA_REGISTRY_URL).filter(s -> !s.isBlank());
    }

    public String applicationId() {
        return get(APPLICATION_ID);
    }

    public String processingGuarantee() {
        return get(PROCESSING_GUARANTEE);
    }

    public List<String> inputTopics() {
        return inputTopics;
    }

    public List<String> models() {
        return models;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration batchMaxWait() {
        return batchMaxWait;
    }

    public FetchOptions fetchOptions() {
        return fetchOptions;
    }

    public int fetchConcurrency() {
        return fetchConcurrency;
    }

    public int topK() {
        return topK;
    }

    public DetectionOptions detectionOptions() {
        return detectionOptions;
    }

    public EngineOptions engineOptions() {
        return engineOptions;
    }

    public DecoderOptions decoderOptions() {
        return new DecoderOptions(maxPixels);
    }

    /** {@value #IMAGE_DECODE_MEMORY} in bytes (a percentage resolved against this JVM's max heap). */
    public long decodeMemoryBytes() {
        return decodeMemory;
    }

    public boolean createTopics() {
        return createTopics;
    }

    /** Partitions for created topics; empty means auto. */
    public Optional<Integer> topicPartitions() {
        return partitions == 0 ? Optional.empty() : Optional.of(partitions);
    }

    /** Replication factor for created topics; empty means auto (min(3, brokers)). */
    public Optional<Short> topicReplicationFactor() {
        return replicationFactor == 0 ? Optional.empty() : Optional.of(replicationFactor);
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** {@value #HTTP_PORT}: the metrics and health endpoint's port; 0: none. */
    public int httpPort() {
        return httpPort;
    }

    /** Whether no one set {@value #HTTP_PORT} (a taken default port then falls back to an ephemeral one). */
    public boolean httpPortIsDefault() {
        return origin(HTTP_PORT).equals(DEFAULT_ORIGIN);
    }

    /** {@value #HTTP_HOST}: the address the endpoint listens on. */
    public String httpHost() {
        return get(HTTP_HOST).trim();
    }

    /** {@value #LOG_FORMAT}: {@code text} or {@code json}. */
    public String logFormat() {
        return logFormat;
    }

    /** Where instances claim their state directories ({@value #STATE_ROOT}; never empty). */
    public Path stateRoot() {
        String v = get(STATE_ROOT);
        if (!v.isBlank()) {
            return Path.of(v).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("streamsight").toAbsolutePath();
    }

    /** The Kafka Streams {@code state.dir} when it was set explicitly (file, environment, -p). */
    public Optional<Path> explicitStateDir() {
        return find("state.dir").map(Path::of);
    }

    /** The topology's settings: topics, models, batching, fetch limits. */
    public PipelineSettings pipelineSettings() {
        return pipelineSettings;
    }

    /**
     * Every pass-through key with its value (defaults included): the base of the Kafka Streams
     * properties and of the serde configuration. A new mutable map.
     */
    public Map<String, Object> kafkaProperties() {
        return new LinkedHashMap<>(passThrough(values));
    }

    /**
     * The pass-through keys that a plain producer, consumer or admin client understands, plus the
     * serde keys: for the clients of {@code produce}, {@code tail} and topic creation (Kafka Streams'
     * own keys, such as {@code application.id}, are left out so the clients do not warn about them).
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> m = new LinkedHashMap<>();
        passThrough(values).forEach((k, v) -> {
            if (!KafkaKeys.isStreamsOnly(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Pass-through keys that neither Kafka nor the serdes know (kept, but worth a warning). */
    public List<String> unrecognizedKeys() {
        return unrecognized;
    }

    /** Where the value of {@code key} came from: {@code default}, {@code file <path>}, {@code env <VAR>}, ... */
    public String origin(String key) {
        return origins.getOrDefault(canonical(key), DEFAULT_ORIGIN);
    }

    /** Every key and value, secrets masked, sorted by key. */
    public SortedMap<String, String> maskedValues() {
        SortedMap<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, mask(k, v)));
        return m;
    }

    /** The effective configuration for the log: one {@code key = value  (origin)} line per key, secrets masked. */
    public String describe() {
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        return maskedValues().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "  %-" + width + "s = %s  (%s)", e.getKey(), e.getValue(),
                        origin(e.getKey())))
                .collect(Collectors.joining("\n"));
    }

    /**
     * The value to show for {@code key}: {@code [hidden]} for secrets (keys containing
     * {@code password}, {@code secret} or {@code token}, {@code basic.auth.user.info},
     * {@code sasl.jaas.config}), and URLs with their user-info replaced by {@code ***@}.
     */
    public static String mask(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT);
        if (SECRET_WORDS.stream().anyMatch(k::contains) || SECRET_KEYS.stream().anyMatch(k::endsWith)) {
            return "[hidden]";
        }
        return value == null ? null : USER_INFO.matcher(value).replaceAll("***@");
    }

    @Override
    public String toString() {
        return "StreamsightConfig" + maskedValues();
    }

    // ---- parsing helpers ---------------------------------------------------------------------

    private List<String> list(String key) {
        return Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private int engineBatch() {
        try {
            return intValue(BATCH_MAX_ENGINE, 1, 4096);
        } catch (ConfigException e) {
            throw new ConfigException(BATCH_MAX_ENGINE, "must be auto or a whole number between 1 and 4096, got '"
                    + get(BATCH_MAX_ENGINE).trim() + "'");
        }
    }

    private int intValue(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    private long longValue(String key, long min, long max) {
        String v = get(key).trim();
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "must be at least " + min + ", got " + n
                    : "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** Bytes, or a percentage of the JVM's max heap ({@code 40%}). */
    private long heapShare(String key) {
        String v = get(key).trim();
        long heap = Runtime.getRuntime().maxMemory();
        if (v.endsWith("%")) {
            long percent;
            try {
                percent = Long.parseLong(v.substring(0, v.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a number of bytes or a percentage of the max heap, got '"
                        + v + "'");
            }
            if (percent < 1 || percent > 90) {
                throw new ConfigException(key, "must be between 1% and 90% of the max heap, got " + v);
            }
            return heap * percent / 100;
        }
        return longValue(key, 1L << 20, heap);
    }

    private double doubleValue(String key, double min, double max) {
        String v = get(key).trim();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a number, got '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new ConfigException(key, "must be between " + fmt(min) + " and " + fmt(max) + ", got " + v);
        }
        return d;
    }

    private float fraction(String key) {
        return (float) doubleValue(key, 0.0, 1.0);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private boolean bool(String key) {
        String v = get(key).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key, "must be true or false, got '" + get(key) + "'");
        };
    }

    private Duration duration(String key, Duration min, Duration max) {
        Duration d = Durations.parse(key, get(key));
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(key, "must be between " + Durations.format(min) + " and "
                    + Durations.format(max) + ", got " + get(key));
        }
        return d;
    }

    private static void checkTopicName(String key, String topic) {
        if (topic.length() > 249 || !topic.matches("[a-zA-Z0-9._-]+") || topic.equals(".") || topic.equals("..")) {
            throw new ConfigException(key, "'" + topic + "' is not a valid topic name (letters, digits, '.', '_',"
                    + " '-', at most 249 characters)");
        }
    }

    /** PipelineSettings' messages already start with the key ({@code batch.size: ...}). */
    private static ConfigException rekey(IllegalArgumentException e) {
        String msg = String.valueOf(e.getMessage());
        int colon = msg.indexOf(": ");
        return colon > 0 ? new ConfigException(msg.substring(0, colon), msg.substring(colon + 2), e)
                : new ConfigException("config", msg, e);
    }

    private static Map<String, String> passThrough(Map<String, String> values) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!DEFAULTS.containsKey(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    static String canonical(String key) {
        String k = key.trim();
        if (k.startsWith(PREFIX)) {
            String bare = k.substring(PREFIX.length());
            if (DEFAULTS.containsKey(bare)) {
                return bare;
            }
            throw new ConfigException(k, "unknown Streamsight key (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
        }
        return k;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(INPUT_TOPICS, "images");
        d.put(MODELS, "mobilenetv2-12-int8,yolox-nano");
        d.put(BATCH_SIZE, "16");
        d.put(BATCH_MAX_WAIT, "100ms");
        d.put(RESULTS_TOPIC, PipelineSettings.DEFAULT_RESULT_TOPIC);
        d.put(DLQ_TOPIC, PipelineSettings.DEFAULT_DLQ_TOPIC);
        d.put(FETCH_MAX_BYTES, Long.toString(FetchOptions.DEFAULT_MAX_BYTES));
        d.put(FETCH_TIMEOUT, "10s");
        d.put(FETCH_MAX_REDIRECTS, Integer.toString(FetchOptions.DEFAULT_MAX_REDIRECTS));
        d.put(FETCH_FILE_ROOTS, "");
        d.put(FETCH_HTTP_ENABLED, "true");
        d.put(FETCH_HTTP_ALLOW, "");
        d.put(FETCH_CONCURRENCY, "32");
        d.put(TOP_K, "5");
        d.put(DETECT_SCORE_THRESHOLD, Float.toString(DetectionOptions.DEFAULT.scoreThreshold()));
        d.put(DETECT_IOU_THRESHOLD, Float.toString(DetectionOptions.DEFAULT.iouThreshold()));
        d.put(DETECT_MAX_DETECTIONS, Integer.toString(DetectionOptions.DEFAULT.maxDetections()));
        d.put(DETECT_CLASS_AGNOSTIC, "false");
        d.put(PROVIDER, "cpu");
        d.put(PROVIDER_FALLBACK, "false");
        d.put(PROVIDER_DEVICE_ID, "0");
        d.put(ENGINE_THREADS, "0");
        d.put(BATCH_MAX_ENGINE, AUTO);
        d.put(IMAGE_MAX_PIXELS, Long.toString(DecoderOptions.DEFAULT_MAX_PIXELS));
        d.put(IMAGE_MIN_DECODE_RATIO, Double.toString(EngineOptions.DEFAULT_MIN_DECODE_RATIO));
        d.put(IMAGE_DECODE_MEMORY, "50%");
        d.put(TOPICS_CREATE, "true");
        d.put(TOPICS_PARTITIONS, AUTO);
        d.put(TOPICS_REPLICATION_FACTOR, AUTO);
        d.put(SHUTDOWN_TIMEOUT, "30s");
        d.put(STATE_ROOT, "");
        d.put(HTTP_PORT, "8080");
        d.put(HTTP_HOST, "0.0.0.0");
        d.put(LOG_FORMAT, "text");
        return Collections.unmodifiableMap(d);
    }

    /**
     * Collects the sources of a {@link StreamsightConfig}. Later calls of the same kind override
     * earlier ones; whatever the call order, command defaults are below the file, which is below
     * the environment, which is below the command-line properties, which are below the flags. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, String[]> baseline = new LinkedHashMap<>();
        private final Map<String, String[]> file = new LinkedHashMap<>();
        private final Map<String, String[]> env = new LinkedHashMap<>();
        private final Map<String, String[]> properties = new LinkedHashMap<>();
        private final Map<String, String[]> flags = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Defaults of one command (e.g. {@code demo}'s short batch wait), above the built-in
         * defaults and below every other source.
         */
        public Builder commandDefaults(Map<String, String> values, String origin) {
            values.forEach((k, v) -> baseline.put(canonical(k), new String[] {v, origin}));
            return this;
        }

        /** Reads a Java properties file (ISO-8859-1 escapes apply as usual; UTF-8 text is accepted). */
        public Builder file(Path path) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config", "no such file: " + path);
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read " + path + ": " + e.getMessage(), e);
            }
            for (String k : new TreeSet<>(p.stringPropertyNames())) {
                file.put(canonical(k), new String[] {p.getProperty(k).trim(), "file " + path});
            }
            return this;
        }

        /** Takes the {@code STREAMSIGHT_*} variables of {@code environment} that name a known key. */
        public Builder environment(Map<String, String> environment) {
            for (var e : new TreeMap<>(environment).entrySet()) {
                if (!e.getKey().startsWith(ENV_PREFIX) || e.getValue() == null) {
                    continue;
                }
                String key = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (DEFAULTS.containsKey(key) || KafkaKeys.isKnown(key)) {
                    env.put(key, new String[] {e.getValue(), "env " + e.getKey()});
                }
            }
            return this;
        }

        /** Command-line properties ({@code -p key=value}). */
        public Builder properties(Map<String, String> props) {
            props.forEach((k, v) -> properties.put(canonical(k), new String[] {Objects.requireNonNull(v, k), "-p"}));
            return this;
        }

        /** One dedicated command-line flag's value; {@code null} values are ignored (flag not given). */
        public Builder flag(String key, String value, String flagName) {
            if (value != null) {
                flags.put(canonical(key), new String[] {value, flagName});
            }
            return this;
        }

        /** Validates and builds. */
        public StreamsightConfig build() {
            Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
            values.putAll(PASS_THROUGH_DEFAULTS);
            Map<String, String> origins = new LinkedHashMap<>();
            for (Map<String, String[]> layer : List.of(baseline, file, env, properties, flags)) {
                layer.forEach((k, v) -> {
                    values.put(k, v[0]);
                    origins.put(k, v[1]);
                });
            }
            return new StreamsightConfig(values, origins);
        }
    }
}

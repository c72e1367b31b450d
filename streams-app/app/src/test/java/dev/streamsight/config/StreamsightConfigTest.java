package dev.streamsight.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.fetch.FetchException;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.ExecutionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsightConfigTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("streamsight.properties");
        Files.write(f, List.of(lines));
        return f;
    }

    private static ConfigException invalid(Map<String, String> props) {
        return assertThrows(ConfigException.class, () -> StreamsightConfig.builder().properties(props).build());
    }

    @Test
    void defaults() {
        StreamsightConfig c = StreamsightConfig.defaultConfig();
        assertEquals(List.of("images"), c.inputTopics());
        assertEquals(List.of("mobilenetv2-12-int8", "yolox-nano"), c.models());
        assertEquals(16, c.batchSize());
        assertEquals(Duration.ofMillis(100), c.batchMaxWait());
        assertEquals("streamsight", c.applicationId());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertTrue(c.bootstrapServers().isEmpty());
        assertTrue(c.fetchOptions().files().refusesAll(), "no local files without fetch.file.roots");
        assertTrue(c.fetchOptions().allowHttp());
        assertEquals("public addresses only", c.fetchOptions().addresses().toString());
        assertEquals(5, c.fetchOptions().maxRedirects());
        assertEquals(ExecutionProvider.CPU, c.engineOptions().provider());
        assertTrue(c.engineOptions().tuneBatch(), "batch.max.engine auto: each model's batch is timed at load");
        assertEquals(16, c.engineOptions().maxBatchSize());
        assertEquals(List.of("images.mobilenetv2-12-int8", "images.yolox-nano", "images.dlq"),
                c.pipelineSettings().outputTopics());
        assertTrue(c.topicPartitions().isEmpty());
        assertTrue(c.topicReplicationFactor().isEmpty());
        assertEquals("default", c.origin("batch.size"));
    }

    @Test
    void httpEndpointAndLogFormat() {
        StreamsightConfig d = StreamsightConfig.defaultConfig();
        assertEquals(8080, d.httpPort());
        assertTrue(d.httpPortIsDefault());
        assertEquals("0.0.0.0", d.httpHost());
        assertEquals("text", d.logFormat());
        StreamsightConfig c = StreamsightConfig.builder()
                .environment(Map.of("STREAMSIGHT_LOG_FORMAT", "JSON", "STREAMSIGHT_HTTP_PORT", "9090"))
                .properties(Map.of("streamsight.http.host", "127.0.0.1")).build();
        assertEquals("json", c.logFormat());
        assertEquals(9090, c.httpPort());
        assertFalse(c.httpPortIsDefault(), "set by the environment: a taken port is then an error");
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals("http.port: must be between 0 and 65535, got -1", invalid(Map.of("http.port", "-1")).getMessage());
        assertEquals("log.format: must be text or json, got 'yaml'", invalid(Map.of("log.format", "yaml")).getMessage());
    }

    @Test
    void precedenceFileThenEnvironmentThenPropertiesThenFlags() throws IOException {
        Path f = file("batch.size=8", "application.id=from-file", "top.k=3", "num.stream.threads=2",
                "bootstrap.servers=file:9092");
        Map<String, String> env = Map.of("STREAMSIGHT_BATCH_SIZE", "12", "STREAMSIGHT_TOP_K", "4",
                "STREAMSIGHT_BOOTSTRAP_SERVERS", "env:9092", "STREAMSIGHT_MODEL_PATH", "/models",
                "STREAMSIGHT_SCHEMA_REGISTRY_URL", "http://env:8081", "OTHER_BATCH_SIZE", "99");
        StreamsightConfig c = StreamsightConfig.builder()
                .flag("batch.size", "24", "--batch-size") // call order does not matter
                .file(f)
                .environment(env)
                .properties(Map.of("batch.size", "20", "top.k", "7"))
                .build();
        assertEquals(24, c.batchSize());
        assertEquals("--batch-size", c.origin("batch.size"));
        assertEquals(7, c.topK());
        assertEquals("-p", c.origin("top.k"));
        assertEquals("env:9092", c.bootstrapServers().orElseThrow());
        assertEquals("env STREAMSIGHT_BOOTSTRAP_SERVERS", c.origin("bootstrap.servers"));
        assertEquals("http://env:8081", c.schemaRegistryUrl().orElseThrow());
        assertEquals("from-file", c.applicationId());
        assertEquals("file " + f, c.origin("application.id"));
        assertEquals("2", c.kafkaProperties().get("num.stream.threads"));
        assertFalse(c.kafkaProperties().containsKey("model.path"), "STREAMSIGHT_MODEL_PATH is not a config key");

        StreamsightConfig noFlag = StreamsightConfig.builder().file(f).environment(env)
                .properties(Map.of("batch.size", "20")).build();
        assertEquals(20, noFlag.batchSize());
        assertEquals(12, StreamsightConfig.builder().file(f).environment(env).build().batchSize());
        assertEquals(8, StreamsightConfig.builder().file(f).build().batchSize());
    }

    @Test
    void commandDefaultsAreBelowEverySource() throws IOException {
        StreamsightConfig c = StreamsightConfig.builder()
                .commandDefaults(Map.of("batch.max.wait", "50ms", "application.id", "demo"), "demo default")
                .file(file("application.id=mine"))
                .build();
        assertEquals(Duration.ofMillis(50), c.batchMaxWait());
        assertEquals("mine", c.applicationId());
    }

    @Test
    void prefixedKeysAreAliasesAndUnknownPrefixedKeysAreErrors() throws IOException {
        StreamsightConfig c = StreamsightConfig.builder().file(file("streamsight.batch.size=4")).build();
        assertEquals(4, c.batchSize());
        ConfigException e = assertThrows(ConfigException.class,
                () -> StreamsightConfig.builder().file(file("streamsight.batch.sise=4")).build());
        assertEquals("streamsight.batch.sise", e.key());
        assertTrue(e.getMessage().contains("unknown Streamsight key"), e.getMessage());
    }

    @Test
    void misspeltKeysAreCaughtAndOtherUnknownKeysPassThrough() {
        ConfigException e = invalid(Map.of("input.topic", "x"));
        assertEquals("input.topic: unknown key; did you mean input.topics?", e.getMessage());
        StreamsightConfig c = StreamsightConfig.builder()
                .properties(Map.of("my.plugin.setting", "1", "producer.batch.size", "32768",
                        "consumer.fetch.max.bytes", "1000", "schema.registry.ssl.truststore.location", "/x"))
                .build();
        assertEquals(List.of("my.plugin.setting"), c.unrecognizedKeys());
        assertEquals("32768", c.kafkaProperties().get("producer.batch.size"));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMillis(100), Durations.parse("k", "100ms"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "2s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("k", "1.5s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("k", "5m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("k", "PT0.5S"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "pt2s"));
        assertEquals("k: '100' has no unit; write e.g. 100ms or 100s",
                assertThrows(ConfigException.class, () -> Durations.parse("k", "100")).getMessage());
        assertThrows(ConfigException.class, () -> Durations.parse("k", "soon"));
        assertThrows(ConfigException.class, () -> Durations.parse("k", "PTXS"));
        assertEquals("100ms", Durations.format(Duration.ofMillis(100)));
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        StreamsightConfig c = StreamsightConfig.builder().properties(Map.of("batch.max.wait", "PT2S",
                "fetch.timeout", "250ms", "shutdown.timeout", "1m")).build();
        assertEquals(Duration.ofSeconds(2), c.pipelineSettings().maxWait());
        assertEquals(Duration.ofMillis(250), c.fetchOptions().timeout());
        assertEquals(Duration.ofMinutes(1), c.shutdownTimeout());
    }

    @Test
    void validationNamesTheKeyAndTheReason() {
        assertEquals("batch.size: must be between 1 and 4096, got 0", invalid(Map.of("batch.size", "0")).getMessage());
        assertEquals("batch.size: must be a whole number, got 'many'",
                invalid(Map.of("batch.size", "many")).getMessage());
        assertEquals("batch.max.wait: must be between 1ms and 1m, got 5m",
                invalid(Map.of("batch.max.wait", "5m")).getMessage());
        assertEquals("processing.guarantee: must be exactly_once_v2 or at_least_once, got 'exactly_once'",
                invalid(Map.of("processing.guarantee", "exactly_once")).getMessage());
        assertEquals("detect.score.threshold: must be between 0 and 1, got 1.5",
                invalid(Map.of("detect.score.threshold", "1.5")).getMessage());
        assertEquals("provider.fallback: must be true or false, got 'maybe'",
                invalid(Map.of("provider.fallback", "maybe")).getMessage());
        assertEquals("provider: must be cpu, cuda or tensorrt, got 'tpu'", invalid(Map.of("provider", "tpu")).getMessage());
        assertTrue(invalid(Map.of("results.topic", "results")).getMessage().startsWith("results.topic: "));
        assertTrue(invalid(Map.of("input.topics", "bad topic")).getMessage().startsWith("input.topics: "));
        assertEquals("models", invalid(Map.of("models", "a,a")).key());
        assertEquals("fetch.file.roots: '/no/such/dir' is not a directory",
                invalid(Map.of("fetch.file.roots", "/no/such/dir")).getMessage());
        assertEquals("topics.partitions", invalid(Map.of("topics.partitions", "0")).key());
        assertEquals("fetch.max.redirects: must be between 0 and 20, got 21",
                invalid(Map.of("fetch.max.redirects", "21")).getMessage());
        assertEquals("fetch.max.redirects: must be a whole number, got 'few'",
                invalid(Map.of("fetch.max.redirects", "few")).getMessage());
        assertEquals("fetch.http.allow: '10.0.0.0/33' has no valid prefix length (0 to 32)",
                invalid(Map.of("fetch.http.allow", "127.0.0.1, 10.0.0.0/33")).getMessage());
        assertEquals("fetch.http.allow: '10.1.2.3/8' has address bits set beyond its /8 prefix",
                invalid(Map.of("fetch.http.allow", "10.1.2.3/8")).getMessage());
        assertEquals("fetch.http.allow: 'http://images.internal' is not an IP address or a CIDR range",
                invalid(Map.of("fetch.http.allow", "http://images.internal")).getMessage());
        assertEquals("fetch.http.allow: 'images internal' is not a CIDR range, an IP address, a host name or *.domain",
                invalid(Map.of("fetch.http.allow", "images internal")).getMessage());
        // Kafka's own keys are checked against Kafka's definitions.
        ConfigException kafka = invalid(Map.of("num.stream.threads", "two"));
        assertEquals("num.stream.threads", kafka.key());
        assertTrue(kafka.getMessage().contains("two"), kafka.getMessage());
        assertEquals("producer.acks", invalid(Map.of("producer.acks", "several")).key());
    }

    @Test
    void typedViews() {
        StreamsightConfig c = StreamsightConfig.builder().properties(Map.of(
                "input.topics", "cams, uploads", "models", "yolox-nano", "results.topic", "out.{input}.{model}",
                "dlq.topic", "dead.{input}", "fetch.http.enabled", "false", "fetch.max.bytes", "1000",
                "detect.max.detections", "7", "batch.max.engine", "4", "topics.partitions", "6",
                "topics.replication.factor", "2")).properties(Map.of(
                "fetch.http.allow", "10.0.0.0/8, images.internal,*.cdn.internal", "fetch.max.redirects", "0")).build();
        assertEquals(List.of("cams", "uploads"), c.inputTopics());
        assertEquals(List.of("out.cams.yolox-nano", "dead.cams", "out.uploads.yolox-nano", "dead.uploads"),
                c.pipelineSettings().outputTopics());
        assertFalse(c.fetchOptions().allowHttp());
        assertEquals(1000, c.fetchOptions().maxBytes());
        assertEquals("public addresses and 10.0.0.0/8, images.internal, *.cdn.internal",
                c.fetchOptions().addresses().toString());
        assertEquals(0, c.fetchOptions().maxRedirects());
        assertEquals("::1", StreamsightConfig.builder().environment(Map.of("STREAMSIGHT_FETCH_HTTP_ALLOW", "::1"))
                .build().get("fetch.http.allow"));
        assertEquals(7, c.detectionOptions().maxDetections());
        assertEquals(4, c.engineOptions().maxBatchSize());
        assertFalse(c.engineOptions().tuneBatch(), "a number is a fixed batch");
        assertTrue(StreamsightConfig.builder().properties(Map.of("batch.max.engine", " AUTO ")).build()
                .engineOptions().tuneBatch());
        assertEquals("batch.max.engine: must be auto or a whole number between 1 and 4096, got 'many'",
                invalid(Map.of("batch.max.engine", "many")).getMessage());
        assertEquals("batch.max.engine: must be auto or a whole number between 1 and 4096, got '0'",
                invalid(Map.of("batch.max.engine", "0")).getMessage());
        assertEquals(6, c.topicPartitions().orElseThrow());
        assertEquals((short) 2, c.topicReplicationFactor().orElseThrow());
    }

    @Test
    void decodeMemoryIsBytesOrAShareOfTheMaxHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        assertEquals(heap * 50 / 100, StreamsightConfig.defaultConfig().decodeMemoryBytes());
        assertEquals(heap * 30 / 100, StreamsightConfig.builder().properties(Map.of("image.decode.memory", "30%"))
                .build().decodeMemoryBytes());
        assertEquals(64L << 20, StreamsightConfig.builder().properties(Map.of("image.decode.memory",
                Long.toString(64L << 20))).build().decodeMemoryBytes());
        assertEquals("image.decode.memory: must be between 1% and 90% of the max heap, got 95%",
                invalid(Map.of("image.decode.memory", "95%")).getMessage());
        assertEquals("image.decode.memory: must be between 1048576 and " + heap + ", got 1000",
                invalid(Map.of("image.decode.memory", "1000")).getMessage());
        assertEquals("image.decode.memory", invalid(Map.of("image.decode.memory", Long.toString(heap + 1))).key());
        assertEquals("image.decode.memory", invalid(Map.of("image.decode.memory", "lots%")).key());
    }

    @Test
    void fileRootsRefuseFilesOutside() throws IOException {
        Path inside = Files.createDirectories(dir.resolve("in"));
        Path outside = Files.createDirectories(dir.resolve("out"));
        Files.write(inside.resolve("a.jpg"), new byte[] {1, 2});
        Files.write(outside.resolve("b.jpg"), new byte[] {3});
        StreamsightConfig c = StreamsightConfig.builder()
                .properties(Map.of("fetch.file.roots", inside.toString())).build();
        ImageFetcher fetcher = new ImageFetcher(c.fetchOptions());
        assertEquals(2, fetcher.fetch(inside.resolve("a.jpg").toUri().toString()).length);
        FetchException e = assertThrows(FetchException.class,
                () -> fetcher.fetch(outside.resolve("b.jpg").toUri().toString()));
        assertTrue(e.getMessage().contains("outside the allowed file roots"), e.getMessage());
        assertThrows(FetchException.class, () -> fetcher.fetch(inside.resolve("../out/b.jpg").toUri().toString()));
        // Without roots (run's and replay's default) no file is read, and the message says what to set.
        FetchException none = assertThrows(FetchException.class, () -> new ImageFetcher(
                StreamsightConfig.defaultConfig().fetchOptions()).fetch(inside.resolve("a.jpg").toUri().toString()));
        assertEquals(ReasonCode.FETCH_REFUSED, none.code());
        assertTrue(none.getMessage().contains("set fetch.file.roots"), none.getMessage());
    }

    @Test
    void secretsAreMasked() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"u\" password=\"hunter2\";");
        p.put("ssl.truststore.password", "hunter2");
        p.put("basic.auth.user.info", "user:hunter2");
        p.put("schema.registry.url", "https://user:hunter2@registry:8081");
        p.put("sasl.oauthbearer.token.endpoint.url", "https://idp/token");
        StreamsightConfig c = StreamsightConfig.builder().properties(p).build();
        String described = c.describe();
        assertFalse(described.contains("hunter2"), described);
        assertFalse(c.toString().contains("hunter2"));
        assertEquals("[hidden]", c.maskedValues().get("sasl.jaas.config"));
        assertEquals("[hidden]", c.maskedValues().get("ssl.truststore.password"));
        assertEquals("[hidden]", c.maskedValues().get("basic.auth.user.info"));
        assertEquals("https://***@registry:8081", c.maskedValues().get("schema.registry.url"));
        assertEquals("[hidden]", StreamsightConfig.mask("my.api.secret", "s"));
        assertEquals("[hidden]", StreamsightConfig.mask("schema.registry.basic.auth.user.info", "u:p"));
        assertEquals("9092", StreamsightConfig.mask("port", "9092"));
        // The values themselves are untouched for the clients.
        assertEquals("user:hunter2", c.kafkaProperties().get("basic.auth.user.info"));
    }

    @Test
    void clientPropertiesLeaveOutStreamsOnlyAndStreamsightKeys() {
        StreamsightConfig c = StreamsightConfig.builder().properties(Map.of("bootstrap.servers", "h:1",
                "schema.registry.url", "http://r", "num.stream.threads", "2", "security.protocol", "SSL",
                "producer.linger.ms", "5")).build();
        Map<String, Object> client = c.clientProperties();
        assertEquals("h:1", client.get("bootstrap.servers"));
        assertEquals("http://r", client.get("schema.registry.url"));
        assertEquals("SSL", client.get("security.protocol"));
        assertFalse(client.containsKey("application.id"));
        assertFalse(client.containsKey("num.stream.threads"));
        assertFalse(client.containsKey("producer.linger.ms"));
        assertFalse(client.containsKey("batch.size"), "Streamsight's batch.size must not reach a producer");
        assertTrue(c.kafkaProperties().containsKey("application.id"));
        assertFalse(c.kafkaProperties().containsKey("batch.size"));
    }

    @Test
    void withOverridesKeepsTheRestAndRecordsTheOrigin() {
        StreamsightConfig c = StreamsightConfig.builder().properties(Map.of("batch.size", "3")).build()
                .with(Map.of("bootstrap.servers", "127.0.0.1:1234"), "embedded");
        assertEquals(3, c.batchSize());
        assertEquals("127.0.0.1:1234", c.bootstrapServers().orElseThrow());
        assertEquals("embedded", c.origin("bootstrap.servers"));
    }

    @Test
    void missingConfigFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StreamsightConfig.builder().file(dir.resolve("nope.properties")));
        assertEquals("--config", e.key());
    }
}

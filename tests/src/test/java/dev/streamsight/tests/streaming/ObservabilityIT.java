package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamsight run --http-port P --log-format json} in its own JVM on a real broker: while it runs,
 * {@code /health/ready} turns 200 once Kafka Streams is RUNNING, and after N good and M bad events (of
 * four kinds, one of them not even an event) {@code /metrics} counts them: events in, results out per
 * model, dead letters per reason (as found on the dead-letter topic), batch sizes, the model with its
 * execution provider and Kafka's consumer lag. Every line the process writes is one JSON object, and
 * the dead letters' log lines carry the record's event id, topic, partition and offset as fields.
 */
class ObservabilityIT {
    private static final String INPUT = "observed-images";
    private static final String MODEL = "mobilenetv2-12-int8";
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final int GOOD = 12;
    private static final Pattern SAMPLE = Pattern.compile("^(streamsight_[a-z_]+)(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(300)
    void metricsAndHealthDuringARunAndJsonLogs() throws Exception {
        List<Path> photos = StreamingIo.imagenetSample();
        Path roots = Files.createDirectories(dir.resolve("images"));
        Path text = Files.writeString(roots.resolve("notes.jpg"), "not an image");
        int port = freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(2, INPUT, RESULTS, DLQ);
            List<String> args = List.of("--bootstrap-server", kafka.bootstrapServers(), "--schema-registry",
                    registry.url(), "--input-topic", INPUT, "--models", MODEL, "--application-id", "observed-it",
                    "--http-port", Integer.toString(port), "-p", "http.host=127.0.0.1", "--log-format", "json",
                    "-p", "commit.interval.ms=100", "-p", "batch.max.wait=50ms",
                    "-p", "fetch.file.roots=" + roots + "," + photos.getFirst().getParent());
            try (RunProcess run = RunProcess.start(dir.resolve("run.log"), List.of("-Xmx768m"),
                    Map.of("STREAMSIGHT_STATE_ROOT", dir.resolve("state").toString()), args)) {
                Set<Integer> readyCodes = new TreeSet<>();
                Await.until("/health/ready 200", Duration.ofMinutes(2), () -> {
                    assertTrue(run.isAlive(), run.tail());
                    int code = status(base.resolve("/health/ready"));
                    if (code > 0) {
                        readyCodes.add(code);
                    }
                    return code == 200;
                });
                assertTrue(run.log().contains("-> RUNNING"), "ready only once RUNNING:\n" + run.tail());
                HttpResponse<String> ready = get(base.resolve("/health/ready"));
                System.out.println("observability: /health/ready answered " + readyCodes + "; now " + ready.body().trim());
                assertTrue(ready.body().contains("\"state\":\"RUNNING\""), ready.body());
                assertEquals(200, get(base.resolve("/health/live")).statusCode());
                assertEquals(404, get(base.resolve("/nothing-here")).statusCode());

                int bad = sendEvents(kafka.bootstrapServers(), registry.url(), photos, roots, text);
                List<Output> outputs;
                try (CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                        Map.of(RESULTS, ClassificationResult.class, DLQ, DeadLetter.class))) {
                    outputs = reader.readUntil("every event's output", Duration.ofMinutes(3),
                            seen -> seen.size() >= GOOD + bad);
                }
                Map<String, Integer> reasons = new TreeMap<>();
                int results = 0;
                for (Output o : outputs) {
                    if (o.value() instanceof DeadLetter d) {
                        reasons.merge(d.getReasonCode().toString(), 1, Integer::sum);
                    } else {
                        results++;
                    }
                }
                assertEquals(GOOD, results, "results on " + RESULTS);
                assertEquals(bad, reasons.values().stream().mapToInt(Integer::intValue).sum(), "dead letters " + reasons);

                String scrape = get(base.resolve("/metrics")).body(); // the run is still going
                System.out.println("observability: /metrics during the run (histogram buckets and most Kafka"
                        + " meters left out):\n" + trimmed(scrape));
                Map<String, Double> samples = samples(scrape);
                assertEquals(GOOD + bad, samples.get("streamsight_events_in_total{topic=\"" + INPUT + "\"}"), scrape);
                assertEquals(GOOD, samples.get("streamsight_results_out_total{model=\"" + MODEL + "\"}"), scrape);
                reasons.forEach((reason, n) -> assertEquals(n.doubleValue(),
                        samples.get("streamsight_dead_letters_total{reason=\"" + reason + "\"}"), reason + ":\n" + scrape));
                assertEquals(reasons.size(), samples.keySet().stream()
                        .filter(k -> k.startsWith("streamsight_dead_letters_total{")).count(), scrape);
                assertTrue(samples.get("streamsight_batch_size_count{model=\"" + MODEL + "\"}") > 0, scrape);
                assertTrue(samples.get("streamsight_inference_seconds_count{model=\"" + MODEL + "\",provider=\"cpu\"}")
                        > 0, scrape);
                assertEquals(GOOD, samples.get("streamsight_queue_wait_seconds_count{model=\"" + MODEL + "\"}"),
                        "the good events reached the model:\n" + scrape);
                assertTrue(samples.get("streamsight_fetch_seconds_count") >= GOOD, scrape);
                assertTrue(samples.get("streamsight_decode_seconds_count") >= GOOD, scrape);
                assertEquals(1.0, samples.get("streamsight_ready"), scrape);
                assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("streamsight_model_info{model=\""
                        + MODEL + "\",provider=\"cpu\",version=")), scrape);
                assertTrue(samples.keySet().stream().anyMatch(k ->
                        k.startsWith("streamsight_kafka_consumer_fetch_manager_records_lag_max{")), scrape);

                assertEquals(0, run.stop(), run.tail());
                assertJsonLog(run.log(), reasons.keySet());
            }
        } finally {
            http.close();
        }
    }

    /**
     * The good events, then the bad ones: two missing files, two records that are no events, one event
     * without an id and one that is not an image. Returns how many bad ones were sent.
     */
    private static int sendEvents(String bootstrap, String registryUrl, List<Path> photos, Path roots, Path text) {
        try (EventProducer producer = new EventProducer(bootstrap, registryUrl)) {
            long ts = System.currentTimeMillis();
            for (int i = 0; i < GOOD; i++) {
                String id = "good-" + i;
                producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id,
                        photos.get(i % photos.size()).toUri().toString(), null), new RecordHeaders());
            }
            for (int i = 0; i < 2; i++) {
                String id = "missing-" + i;
                producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id,
                        roots.resolve("missing-" + i + ".jpg").toUri().toString(), null), new RecordHeaders());
                producer.sendRaw(INPUT, null, ts, "garbage-" + i, ("garbage " + i).getBytes(), new RecordHeaders());
            }
            producer.send(INPUT, null, ts, "no-id", StreamingIo.uriEvent("", photos.getFirst().toUri().toString(),
                    null), new RecordHeaders());
            producer.send(INPUT, null, ts, "text", StreamingIo.uriEvent("text", text.toUri().toString(), null),
                    new RecordHeaders());
        }
        return 6;
    }

    /** Every line is one JSON object; each dead letter's WARN line has the record's fields. */
    private static void assertJsonLog(String log, Set<String> reasons) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines().filter(l -> !l.isBlank()).toList()) {
            try {
                lines.add(json.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line + "\n" + log, e);
            }
        }
        assertTrue(lines.stream().allMatch(JsonNode::isObject), log);
        assertTrue(lines.stream().anyMatch(n -> n.path("formattedMessage").asText()
                .startsWith("metrics and health on http://127.0.0.1:")), log);
        Set<String> withFields = new HashSet<>();
        for (JsonNode n : lines) {
            String message = n.path("formattedMessage").asText();
            if (!"WARN".equals(n.path("level").asText()) || !message.contains("dead letter")
                    && !message.contains("cannot be deserialized")) {
                continue;
            }
            Map<String, String> fields = new TreeMap<>();
            n.path("kvpList").forEach(kv -> kv.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText())));
            assertEquals(INPUT, fields.get("topic"), n.toString());
            assertTrue(fields.containsKey("partition") && fields.containsKey("offset"), n.toString());
            assertTrue(fields.containsKey("event_id") || message.contains("no id") || message.contains("empty id"),
                    n.toString());
            withFields.add(n.path("formattedMessage").asText());
        }
        System.out.println("observability: dead-letter log lines with fields, e.g. "
                + lines.stream().filter(n -> n.path("kvpList").size() > 0).findFirst().orElseThrow());
        assertEquals(6, withFields.size(), "one line per dead letter:\n" + log);
        assertFalse(reasons.isEmpty());
    }

    /** Every sample line: name{labels} -> value. */
    private static Map<String, Double> samples(String scrape) {
        Map<String, Double> m = new TreeMap<>();
        Matcher matcher = SAMPLE.matcher(scrape);
        while (matcher.find()) {
            m.put(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)),
                    Double.parseDouble(matcher.group(3)));
        }
        return m;
    }

    /** The scrape without histogram buckets, JVM and system meters, and with only Kafka's lag meters. */
    private static String trimmed(String scrape) {
        return String.join("\n", scrape.lines()
                .filter(l -> !l.contains("_bucket{") && !l.startsWith("#"))
                .filter(l -> !l.startsWith("streamsight_jvm_") && !l.startsWith("streamsight_system_")
                        && !l.startsWith("streamsight_process_"))
                .filter(l -> !l.startsWith("streamsight_kafka_") || l.contains("records_lag_max{")
                        && l.contains("client_id=\"") && l.contains("StreamThread-1-consumer\""))
                .toList());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private int status(URI uri) {
        try {
            return get(uri).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

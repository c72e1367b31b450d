package dev.streamsight.tests.streaming;

import static dev.streamsight.tests.streaming.PipelineRuntime.CLASSIFIER;
import static dev.streamsight.tests.streaming.PipelineRuntime.DETECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Expected;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The mixed good/bad events scenario, against any broker and registry: creates the topics (3 input
 * partitions), runs the pipeline in-process (exactly_once_v2, two stream threads, a classifier and a
 * detector), sends a seeded shuffle of good events (file:// URIs and inline bytes, some asking for one
 * model) and bad records of every kind the pipeline answers with its own reason code, and checks the
 * read_committed output record by record with {@link OutputAssertions}.
 */
final class MixedEventsScenario {
    private MixedEventsScenario() {
    }

    /** What a run saw. */
    record Summary(int records, long good, long results, long deadLetters, long batchedClassifications,
            double seconds) {
    }

    /** One planned input record. */
    record Plan(String id, String kind, ImageEvent event, byte[] raw, Set<String> resultModels,
            String reason) {
    }

    static Summary run(String bootstrap, String registryUrl, String appId, String input, int good, int badPerKind,
            Path stateDir, Duration timeout) {
        PipelineSettings settings = PipelineSettings.defaults(input, List.of(CLASSIFIER, DETECTOR))
                .withBatch(16, Duration.ofMillis(200)).withFetch(StreamingIo.sharedImagesOnly());
        createTopics(bootstrap, input, settings.outputTopics());
        List<Plan> plans = plan(good, badPerKind);
        var options = new PipelineRuntime.Options(bootstrap, registryUrl, appId, settings, 2, stateDir, Map.of());
        long t0 = System.nanoTime();
        List<Expected> expected = new ArrayList<>();
        try (PipelineRuntime app = PipelineRuntime.create(options, UnaryOperator.identity());
                EventProducer producer = new EventProducer(bootstrap, registryUrl)) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(60));
            long base = System.currentTimeMillis() - 3_600_000L;
            for (int i = 0; i < plans.size(); i++) {
                Plan p = plans.get(i);
                long ts = base + i * 997L;
                Headers headers = new RecordHeaders()
                        .add("trace-id", p.id().getBytes(StandardCharsets.UTF_8))
                        .add("kind", p.kind().getBytes(StandardCharsets.UTF_8));
                if (i % 4 == 0) {
                    headers.add("empty", null);
                }
                RecordMetadata md = p.event() == null
                        ? producer.sendRaw(input, null, ts, p.id(), p.raw(), headers)
                        : producer.send(input, null, ts, p.id(), p.event(), headers);
                expected.add(new Expected(p.id(), input, md.partition(), md.offset(), ts, headers,
                        p.resultModels(), p.reason()));
            }
            Set<Integer> partitions = expected.stream().map(Expected::partition).collect(Collectors.toSet());
            assertEquals(3, partitions.size(), "events spread over all three input partitions");

            try (CommittedReader reader = new CommittedReader(bootstrap, registryUrl,
                    CommittedReader.outputTopics(settings, input))) {
                List<Output> outputs = reader.readUntil("every result and dead letter", timeout,
                        OutputAssertions.complete(settings, input, expected));
                new OutputAssertions(settings, input, true).verify(outputs, expected);

                long results = outputs.stream().filter(o -> !o.topic().endsWith(".dlq")).count();
                long batched = outputs.stream().filter(o -> o.value() instanceof ClassificationResult c
                        && c.getTimings().getBatchSize() > 1).count();
                Set<String> reasons = expected.stream().map(Expected::deadLetterReason)
                        .filter(r -> r != null).collect(Collectors.toCollection(LinkedHashSet::new));
                assertTrue(reasons.containsAll(Set.of("NOT_FOUND", "UNSUPPORTED_FORMAT", "TRUNCATED",
                        "UNSUPPORTED_URI", "NOT_WIRE_FORMAT", "UNKNOWN_MODEL", "INVALID_EVENT")),
                        "every kind of bad record was sent: " + reasons);
                return new Summary(plans.size(), plans.stream().filter(p -> p.reason() == null).count(), results,
                        outputs.size() - results, batched, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Creates the input topic (3 partitions) and the output topics (3 partitions each), replication 1. */
    static void createTopics(String bootstrap, String input, List<String> outputs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(input, 3, (short) 1));
            outputs.forEach(t -> topics.add(new NewTopic(t, 3, (short) 1)));
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot create topics", e);
        }
    }

    /** A seeded shuffle of good events and bad records of seven kinds. */
    static List<Plan> plan(int goodCount, int badPerKind) {
        List<Path> images = StreamingIo.images();
        List<Plan> plans = new ArrayList<>();
        Set<String> both = Set.of(CLASSIFIER, DETECTOR);
        for (int i = 0; i < goodCount; i++) {
            Path img = images.get(i % images.size());
            String id = "good-" + i;
            List<String> ask = switch (i % 10) {
                case 0 -> List.of(CLASSIFIER);
                case 5 -> List.of(DETECTOR);
                case 7 -> List.of(); // an empty list means every model, as null does
                default -> null;
            };
            Set<String> models = ask == null || ask.isEmpty() ? both : Set.copyOf(ask);
            ImageEvent e = i % 3 == 0
                    ? StreamingIo.inlineEvent(id, StreamingIo.bytes(img), ask)
                    : StreamingIo.uriEvent(id, img.toUri().toString(), ask);
            plans.add(new Plan(id, i % 3 == 0 ? "inline" : "uri", e, null, models, null));
        }
        byte[] jpeg = StreamingIo.bytes(StreamingIo.SHARED.resolve("images/photos/coco_000000001584_bus.jpg"));
        byte[] jpeg2 = StreamingIo.bytes(StreamingIo.SHARED.resolve("images/photos/winml_cat.jpg"));
        Path missingDir = StreamingIo.SHARED.resolve("images/photos");
        for (int i = 0; i < badPerKind; i++) {
            String id = "missing-" + i;
            plans.add(new Plan(id, "missing", StreamingIo.uriEvent(id,
                    missingDir.resolve("no-such-photo-" + i + ".jpg").toUri().toString(), null), null, Set.of(),
                    "NOT_FOUND"));
            id = "text-" + i;
            plans.add(new Plan(id, "text", StreamingIo.inlineEvent(id,
                    ("this is a text file, not an image #" + i).getBytes(StandardCharsets.UTF_8), null), null,
                    Set.of(), "UNSUPPORTED_FORMAT"));
            id = "truncated-" + i;
            byte[] src = i % 2 == 0 ? jpeg : jpeg2;
            plans.add(new Plan(id, "truncated", StreamingIo.inlineEvent(id,
                    Arrays.copyOf(src, src.length / 2 + i * 101), null), null, Set.of(), "TRUNCATED"));
            id = "scheme-" + i;
            String uri = i % 2 == 0 ? "ftp://images.example/cat-" + i + ".jpg" : "gopher://images.example/" + i;
            plans.add(new Plan(id, "scheme", StreamingIo.uriEvent(id, uri, null), null, Set.of(),
                    "UNSUPPORTED_URI"));
            id = "not-avro-" + i;
            byte[] raw = i % 4 == 1
                    // Confluent framing with a schema id the registry never issued.
                    ? ByteBuffer.allocate(9).put((byte) 0).putInt(987_654 + i).putInt(42).array()
                    : ("{\"id\":\"not-avro-" + i + "\",\"uri\":\"file:///x.jpg\"}").getBytes(StandardCharsets.UTF_8);
            plans.add(new Plan(id, "not-avro", null, raw, Set.of(), i % 4 == 1 ? "UNKNOWN_SCHEMA_ID" : "NOT_WIRE_FORMAT"));
            id = "unknown-model-" + i;
            Path img = images.get(i);
            // Half ask only for a model the application does not run, half for it and the classifier.
            List<String> ask = i % 2 == 0 ? List.of("resnet-9000") : List.of(CLASSIFIER, "resnet-9000");
            plans.add(new Plan(id, "unknown-model", StreamingIo.uriEvent(id, img.toUri().toString(), ask), null,
                    i % 2 == 0 ? Set.of() : Set.of(CLASSIFIER), "UNKNOWN_MODEL"));
            id = "empty-" + i;
            plans.add(new Plan(id, "empty", StreamingIo.inlineEvent(id, new byte[0], null), null, Set.of(),
                    "INVALID_EVENT"));
        }
        for (int i = 0; i < Math.min(3, badPerKind); i++) {
            // A tombstone (null value) is not an ImageEvent either.
            plans.add(new Plan("tombstone-" + i, "tombstone", null, null, Set.of(), "INVALID_EVENT"));
            // An event without an id: its dead letter is keyed by the record key.
            plans.add(new Plan("blank-id-" + i, "blank-id", StreamingIo.uriEvent(" ",
                    images.get(i).toUri().toString(), null), null, Set.of(), "INVALID_EVENT"));
        }
        Collections.shuffle(plans, new Random(20261125L));
        assertEquals(plans.size(), new HashSet<>(plans.stream().map(Plan::id).toList()).size());
        return plans;
    }
}

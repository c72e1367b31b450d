package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs too large for their topics, on a real broker, through {@code run}'s own wiring ({@link
 * PipelineRunner}) under exactly_once_v2: the classifier's results topic takes 200-byte records (no
 * result fits), the dead-letter topic 64 KiB and the pending store's changelog 300 kB
 * ({@code topic.max.message.bytes}). Each photo then gets its detection result and one small {@code
 * PRODUCTION_FAILED} dead letter for its classification; an unreadable inline image of 200 kB, whose
 * dead letter would embed it, gets one small {@code PRODUCTION_FAILED} dead letter without its bytes;
 * an inline image of 500 kB, whose pending record would not fit the changelog, gets one {@code
 * TOO_LARGE} dead letter; nothing else is written (read_committed), and no stream thread dies (the
 * suite's check).
 */
class OversizedOutputIT {
    private static final String INPUT = "big-outputs";
    private static final String CLASSIFIER = PipelineRuntime.CLASSIFIER;
    private static final String DETECTOR = PipelineRuntime.DETECTOR;
    private static final String CLASSIFICATIONS = INPUT + "." + CLASSIFIER;
    private static final String DETECTIONS = INPUT + "." + DETECTOR;
    private static final String DLQ = INPUT + ".dlq";
    private static final int DLQ_LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void eachOversizedOutputBecomesOneSmallDeadLetterAndTheRestGoesOut() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(new NewTopic(INPUT, 2, (short) 1), new NewTopic(DETECTIONS, 2, (short) 1),
                    new NewTopic(CLASSIFICATIONS, 2, (short) 1).configs(Map.of("max.message.bytes", "200")),
                    new NewTopic(DLQ, 2, (short) 1).configs(Map.of("max.message.bytes", Integer.toString(DLQ_LIMIT))));
            StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                    "input.topics", INPUT, "models", CLASSIFIER + "," + DETECTOR,
                    "application.id", "oversized-it", "state.dir", dir.resolve("state").toString(),
                    "commit.interval.ms", "100", "batch.max.wait", "50ms",
                    "topic.max.message.bytes", "300000"))
                    .properties(Map.of("fetch.file.roots", StreamingIo.SHARED.resolve("images").toString())).build();

            Map<String, Path> photos = new HashMap<>();
            List<Path> sample = StreamingIo.imagenetSample();
            for (int i = 0; i < 6; i++) {
                photos.put("photo-" + i, sample.get(i));
            }
            byte[] unreadable = new byte[200_000];
            Arrays.fill(unreadable, (byte) 'x');
            byte[] huge = new byte[500_000];
            Arrays.fill(huge, (byte) 'y');
            Path small = sample.stream().min(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();

            try (PipelineRunner runner = PipelineRunner.start(config);
                    EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(), Map.of(
                            CLASSIFICATIONS, ClassificationResult.class, DETECTIONS, DetectionResult.class,
                            DLQ, DeadLetter.class))) {
                assertTrue(runner.awaitRunning(Duration.ofSeconds(60)), "Kafka Streams RUNNING");
                Map<String, RecordMetadata> sent = new HashMap<>();
                long now = System.currentTimeMillis();
                photos.forEach((id, p) -> sent.put(id, producer.send(INPUT, null, now, id,
                        StreamingIo.uriEvent(id, p.toUri().toString(), null), new RecordHeaders())));
                sent.put("small-inline", producer.send(INPUT, null, now, "small-inline",
                        StreamingIo.inlineEvent("small-inline", StreamingIo.bytes(small), null), new RecordHeaders()));
                sent.put("unreadable", producer.send(INPUT, null, now, "unreadable",
                        StreamingIo.inlineEvent("unreadable", unreadable, null), new RecordHeaders()));
                sent.put("huge", producer.send(INPUT, null, now, "huge",
                        StreamingIo.inlineEvent("huge", huge, null), new RecordHeaders()));

                int expected = 2 * (photos.size() + 1) + 2; // a detection and a dead letter per image, 2 more
                List<Output> out = reader.readUntil("every output", Duration.ofMinutes(2),
                        seen -> seen.size() >= expected);
                Map<String, List<Output>> byKey = out.stream().collect(Collectors.groupingBy(Output::key));
                List<String> problems = new ArrayList<>();
                assertEquals(List.of(), reader.from(CLASSIFICATIONS), "no classification result fits its topic");
                for (String id : sent.keySet()) {
                    List<Output> records = byKey.getOrDefault(id, List.of());
                    List<Output> dead = records.stream().filter(o -> o.topic().equals(DLQ)).toList();
                    if (dead.size() != 1) {
                        problems.add(id + ": " + dead.size() + " dead letters");
                        continue;
                    }
                    DeadLetter dl = (DeadLetter) dead.getFirst().value();
                    RecordMetadata md = sent.get(id);
                    assertEquals(md.offset(), dl.getLineage().getOffset(), id);
                    assertEquals(md.partition(), dl.getLineage().getPartition(), id);
                    assertTrue(dead.getFirst().valueBytes() < DLQ_LIMIT, id);
                    switch (id) {
                        case "unreadable" -> {
                            assertEquals("PRODUCTION_FAILED", dl.getReasonCode(), dl.getMessage());
                            assertEquals("produce", dl.getStage());
                            assertEquals(0, ((InlineImage) dl.getEvent().getImage()).getBytes().remaining());
                            assertTrue(dl.getMessage().contains("UNSUPPORTED_FORMAT")
                                    && dl.getMessage().contains("does not fit topic " + DLQ), dl.getMessage());
                            assertEquals(1, records.size(), id + ": " + records);
                        }
                        case "huge" -> {
                            assertEquals("TOO_LARGE", dl.getReasonCode(), dl.getMessage());
                            assertTrue(dl.getMessage().contains("oversized-it-pending-images-changelog"),
                                    dl.getMessage());
                            assertEquals(0, ((InlineImage) dl.getEvent().getImage()).getBytes().remaining());
                            assertEquals(1, records.size(), id + ": " + records);
                        }
                        default -> {
                            assertEquals("PRODUCTION_FAILED", dl.getReasonCode(), dl.getMessage());
                            assertEquals("produce", dl.getStage());
                            assertEquals(CLASSIFIER, dl.getModel().getId());
                            assertNull(dl.getEvent());
                            assertTrue(dl.getMessage().contains("does not fit topic " + CLASSIFICATIONS)
                                    && dl.getMessage().contains("limit of 200 bytes"), dl.getMessage());
                            List<Output> boxes = records.stream().filter(o -> o.topic().equals(DETECTIONS)).toList();
                            if (records.size() != 2 || boxes.size() != 1) {
                                problems.add(id + ": " + records);
                            }
                        }
                    }
                }
                assertEquals(List.of(), problems);
                assertEquals(expected, out.size(), "nothing else was written: " + out);
                assertEquals(KafkaStreams.State.RUNNING, runner.state());
            }
        }
    }
}

package dev.streamsight.tests.streaming;

import static dev.streamsight.tests.streaming.PipelineRuntime.CLASSIFIER;
import static dev.streamsight.tests.streaming.PipelineRuntime.DETECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Expected;
import dev.streamsight.topology.PipelineSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across crashes: the pipeline runs as a child JVM ({@link PipelineMain}) under
 * exactly_once_v2 and is SIGKILLed four times while 300 events arrive in waves, each time restarted
 * with the same application id:
 * <ol>
 *   <li>between batches, with events consumed and committed into the changelogged pending store but
 *       not yet flushed (batch not full, max wait not reached): they must survive the crash;
 *   <li>during a batch (some results of the wave committed, a batch being decoded/inferred);
 *   <li>during a batch while the producer is still sending the wave;
 *   <li>during the first batch after a restart (replaying the work the previous crash left).
 * </ol>
 * At the end a read_committed consumer must see exactly one result per event per model, no
 * duplicates, none missing, no dead letters, each with the lineage of its input record.
 */
class ExactlyOnceCrashIT {
    private static final String INPUT = "crash-images";
    private static final String APP_ID = "crash-app";
    private static final int BATCH = 16;
    private static final Duration MAX_WAIT = Duration.ofSeconds(4);
    private static final Duration START = Duration.ofSeconds(90);

    private static EmbeddedKafka kafka;
    private static InProcessSchemaRegistry registry;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBroker() {
        // Open transactions of a killed instance are aborted after its transaction timeout (5 s, set in
        // the child): check for them every 500 ms instead of every 10 s.
        kafka = EmbeddedKafka.builder()
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start();
        registry = InProcessSchemaRegistry.start();
    }

    @AfterAll
    static void stopBroker() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private final List<Expected> expected = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> images = StreamingIo.imagenetSample();
    private final long base = System.currentTimeMillis() - 600_000L;

    @Test
    @Timeout(300)
    void noResultIsLostOrDuplicatedWhenTheApplicationIsKilled() throws Exception {
        PipelineSettings settings = PipelineSettings.defaults(INPUT, List.of(CLASSIFIER, DETECTOR))
                .withBatch(BATCH, MAX_WAIT);
        kafka.createTopics(3, INPUT);
        kafka.createTopics(3, settings.outputTopics().toArray(String[]::new));
        String clsTopic = settings.resultTopic(INPUT, CLASSIFIER);
        String detTopic = settings.resultTopic(INPUT, DETECTOR);

        Map<String, String> props = Map.ofEntries(
                Map.entry("it.bootstrap", kafka.bootstrapServers()),
                Map.entry("it.registry", registry.url()),
                Map.entry("it.appId", APP_ID),
                Map.entry("it.input", INPUT),
                Map.entry("it.models", CLASSIFIER + "," + DETECTOR),
                Map.entry("it.batchSize", Integer.toString(BATCH)),
                Map.entry("it.maxWaitMs", Long.toString(MAX_WAIT.toMillis())),
                Map.entry("it.threads", "2"),
                Map.entry("it.stateDir", dir.resolve("state").toString()),
                Map.entry("it.groupInstanceId", "crash-app-instance"),
                Map.entry("it.transactionTimeoutMs", "5000"),
                Map.entry("it.decodeDelayMs", "15"));
        long t0 = System.nanoTime();
        List<String> kills = new ArrayList<>();
        try (ChildPipeline app = new ChildPipeline(props, dir.resolve("pipeline.log"));
                EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                        CommittedReader.outputTopics(settings, INPUT));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers()))) {
            app.start(START);

            // Wave A: three full batches, all committed.
            List<String> waveA = produce(producer, 0, 48);
            awaitAll(reader, app, "wave A", waveA, clsTopic, detTopic);

            // Kill 1, between batches: 6 events consumed and committed into the pending store, not flushed.
            long sentAt = System.nanoTime();
            List<String> pending = produce(producer, 48, 54);
            Await.until("the pending events' input offsets committed by " + APP_ID, Duration.ofSeconds(30),
                    () -> inputFullyCommitted(admin));
            reader.poll(Duration.ofMillis(50));
            long sinceSent = (System.nanoTime() - sentAt) / 1_000_000;
            assertEquals(0, visible(reader, pending, clsTopic, detTopic),
                    "the partial batch must still be pending when the application is killed");
            assertTrue(sinceSent < MAX_WAIT.toMillis() - 1000, "set-up too slow to kill before the max wait: "
                    + sinceSent + " ms");
            app.kill();
            kills.add("between batches, " + pending.size() + " events in the pending store (" + sinceSent + " ms)");
            app.start(START);
            awaitAll(reader, app, "the pending events restored after the crash", pending, clsTopic, detTopic);

            // Kill 2, during a batch: some of wave B committed, another batch being decoded.
            List<String> waveB = produce(producer, 54, 150);
            kills.add(killDuringBatch(reader, app, "wave B", waveB, clsTopic, detTopic));
            app.start(START);

            // Kill 3, during a batch while the producer is still sending wave C.
            CompletableFuture<List<String>> waveC = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                for (int from = 150; from < 246; from += 8) {
                    ids.addAll(produce(producer, from, from + 8));
                    sleep(150);
                }
                return ids;
            });
            List<String> firstOfC = IntStream.range(150, 246).mapToObj(ExactlyOnceCrashIT::id).toList();
            kills.add(killDuringBatch(reader, app, "wave C", firstOfC, clsTopic, detTopic));

            // Kill 4, during the first batch the restarted instance runs (replaying what kill 3 left).
            int before = app.decodes();
            app.start(START);
            Await.until("a batch in the restarted instance", Duration.ofSeconds(60), () -> {
                app.checkAlive();
                return app.decodes() > before;
            });
            app.kill();
            kills.add("during the first batch after a restart");
            assertEquals(96, waveC.get(60, TimeUnit.SECONDS).size());
            app.start(START);

            // Wave D, then everything must be there exactly once.
            produce(producer, 246, 300);
            List<String> all = expected.stream().map(Expected::id).toList();
            assertEquals(300, all.size());
            reader.readUntil("every result of the 300 events", Duration.ofSeconds(120),
                    outputs -> {
                        app.checkAlive();
                        return OutputAssertions.complete(settings, INPUT, expected).test(outputs);
                    });
            new OutputAssertions(settings, INPUT, true).verify(reader.seen(), List.copyOf(expected));

            long results = reader.seen().stream().filter(o -> !o.topic().endsWith(".dlq")).count();
            System.out.printf("ExactlyOnceCrashIT: 300 events, %d starts, %d kills (%s), %d committed results,"
                    + " %d images decoded in all (incl. replays), %.1f s%n", app.starts(), kills.size(),
                    String.join("; ", kills), results, app.decodes(), (System.nanoTime() - t0) / 1e9);
            assertEquals(600, results);
            assertEquals(5, app.starts());
            assertTrue(app.decodes() > 300, "the crashes made the pipeline redo work: " + app.decodes()
                    + " decodes for 300 events");
        }
    }

    /**
     * Waits until some but not all results of {@code wave} are committed, then until the child starts
     * decoding another image (a batch in flight), and kills it there.
     */
    private String killDuringBatch(CommittedReader reader, ChildPipeline app, String wave, List<String> ids,
            String clsTopic, String detTopic) {
        int total = 2 * ids.size();
        Await.until("some results of " + wave + " committed", Duration.ofSeconds(90), () -> {
            app.checkAlive();
            reader.poll(Duration.ofMillis(50));
            return visible(reader, ids, clsTopic, detTopic) > 0;
        });
        int seenAt = visible(reader, ids, clsTopic, detTopic);
        int before = app.decodes();
        Await.until("another batch of " + wave + " in flight", Duration.ofSeconds(30), () -> {
            app.checkAlive();
            return app.decodes() > before;
        });
        app.kill();
        reader.poll(Duration.ofMillis(50));
        int after = visible(reader, ids, clsTopic, detTopic);
        assertTrue(after < total, wave + " was complete before the kill: not a kill during a batch");
        return "during a batch of " + wave + " (" + seenAt + "/" + total + " results committed)";
    }

    private static int visible(CommittedReader reader, List<String> ids, String clsTopic, String detTopic) {
        return (int) (reader.countKeys(clsTopic, ids) + reader.countKeys(detTopic, ids));
    }

    private static void awaitAll(CommittedReader reader, ChildPipeline app, String what, List<String> ids,
            String clsTopic, String detTopic) {
        Await.until("all results of " + what, Duration.ofSeconds(90), () -> {
            app.checkAlive();
            reader.poll(Duration.ofMillis(50));
            return visible(reader, ids, clsTopic, detTopic) == 2 * ids.size();
        });
    }

    private boolean inputFullyCommitted(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP_ID,
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Set<TopicPartition> inputs = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(INPUT, p))
                    .collect(Collectors.toSet());
            var ends = admin.listOffsets(inputs.stream().collect(Collectors.toMap(tp -> tp,
                    tp -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS);
            return inputs.stream().allMatch(tp -> committed.get(tp) != null
                    && committed.get(tp).offset() == ends.get(tp).offset());
        } catch (Exception e) {
            return false;
        }
    }

    private static String id(int i) {
        return String.format("event-%03d", i);
    }

    /** Sends events [from, to) round-robin over the three partitions and records what to expect. */
    private List<String> produce(EventProducer producer, int from, int to) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<Headers> headers = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Path img = images.get(i % images.size());
            Headers h = new RecordHeaders().add("trace-id", id(i).getBytes(StandardCharsets.UTF_8));
            headers.add(h);
            futures.add(producer.sendAsync(INPUT, i % 3, base + i, id(i),
                    StreamingIo.uriEvent(id(i), img.toUri().toString(), null), h));
        }
        producer.flush();
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            RecordMetadata md = EventProducer.await(futures.get(i - from));
            expected.add(new Expected(id(i), INPUT, md.partition(), md.offset(), base + i, headers.get(i - from),
                    Set.of(CLASSIFIER, DETECTOR), null));
            ids.add(id(i));
        }
        return ids;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

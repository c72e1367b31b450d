package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.serde.RestSchemaRegistryClient;
import dev.streamsight.serde.WireFormat;
import dev.streamsight.testing.ProvokesStreamThreadDeath;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineRunner;
import dev.streamsight.topology.ThreadFailurePolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry goes away, at start and mid-stream, behind a TCP proxy that refuses
 * connections while it is cut. The pipeline must wait for it, neither dead-lettering nor skipping the
 * records it cannot read meanwhile, and finish with exactly one result per event once it is back:
 * <ol>
 *   <li>down when the application starts, for less than {@code schema.registry.retry.timeout.ms}:
 *       the registry client's retries ride it out, and no stream thread dies;
 *   <li>down mid-stream while events of a writer schema the application has not seen yet arrive, for
 *       twice the retry timeout: stream threads are replaced (their tasks resume from the last commit)
 *       without end, never shutting the instance down, until the registry answers.
 * </ol>
 */
@ProvokesStreamThreadDeath
class RegistryOutageIT {
    private static final String INPUT = "outage-images";
    private static final String RESULTS = INPUT + "." + PipelineRuntime.CLASSIFIER;
    private static final String DLQ = INPUT + ".dlq";
    private static final Duration RETRY_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void outagesAtStartAndMidStreamLoseNothingAndDeadLetterNothing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start();
                TcpProxy proxy = TcpProxy.start(registry.port())) {
            kafka.createTopics(3, INPUT, RESULTS, DLQ);
            List<Path> photos = StreamingIo.imagenetSample();
            List<String> early = new ArrayList<>();
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url())) {
                for (int i = 0; i < 60; i++) {
                    String id = "early-" + i;
                    early.add(id);
                    producer.send(INPUT, null, System.currentTimeMillis(), id, StreamingIo.uriEvent(id,
                            photos.get(i % photos.size()).toUri().toString(), null), new RecordHeaders());
                }
            }
            proxy.cut();

            StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", "http://127.0.0.1:" + proxy.port(),
                    "input.topics", INPUT, "models", PipelineRuntime.CLASSIFIER, "application.id", "outage-it",
                    "state.dir", dir.resolve("state").toString(), "commit.interval.ms", "100",
                    "batch.max.wait", "50ms", "fetch.file.roots", StreamingIo.SHARED.resolve("images").toString()))
                    .properties(Map.of("schema.registry.retry.timeout.ms", Long.toString(RETRY_TIMEOUT.toMillis()),
                    "schema.registry.retry.backoff.max.ms", "500")).build();
            long deathsBefore = ThreadFailurePolicy.streamThreadDeaths();
            try (PipelineRunner runner = PipelineRunner.start(config);
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                            Map.of(RESULTS, ClassificationResult.class, DLQ, DeadLetter.class))) {
                // Kafka Streams reads the first record of each partition while it completes the rebalance,
                // so it stays REBALANCING until the registry answers: alive, waiting.
                reader.poll(Duration.ofSeconds(4));
                assertEquals(0, reader.seen().size(), "nothing is written while the registry is away");
                assertTrue(Set.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING).contains(runner.state()),
                        "the instance waits for the registry: " + runner.state());
                long back = System.nanoTime();
                proxy.restore();
                reader.readUntil("a result for every early event", Duration.ofSeconds(90),
                        seen -> reader.countKeys(RESULTS, early) == early.size());
                System.out.printf("RegistryOutageIT: registry down at start; %d results %.1f s after it came back%n",
                        early.size(), (System.nanoTime() - back) / 1e9);
                assertEquals(deathsBefore, ThreadFailurePolicy.streamThreadDeaths(),
                        "an outage shorter than the retry timeout costs no stream thread");

                Schema v2 = evolved();
                int v2Id;
                try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                        Map.of("schema.registry.url", registry.url()))) {
                    v2Id = client.register(INPUT + "-value", v2);
                }
                proxy.cut();
                List<String> late = new ArrayList<>();
                try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url())) {
                    for (int i = 0; i < 40; i++) {
                        String id = "late-" + i;
                        late.add(id);
                        byte[] value = WireFormat.frame(v2Id, encode(v2, StreamingIo.uriEvent(id,
                                photos.get(i % photos.size()).toUri().toString(), null)));
                        producer.sendRaw(INPUT, null, System.currentTimeMillis(), id, value, new RecordHeaders());
                    }
                }
                Thread.sleep(RETRY_TIMEOUT.multipliedBy(2).toMillis());
                reader.poll(Duration.ofMillis(500));
                assertEquals(0, reader.countKeys(RESULTS, late) + reader.countKeys(DLQ, late),
                        "no event of the unseen schema is processed or dead-lettered while the registry is away");
                assertTrue(Set.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING).contains(runner.state()),
                        "the instance keeps running through the outage: " + runner.state());
                back = System.nanoTime();
                proxy.restore();
                reader.readUntil("an output for every late event", Duration.ofSeconds(120),
                        seen -> reader.countKeys(RESULTS, late) == late.size());
                long replaced = ThreadFailurePolicy.streamThreadDeaths() - deathsBefore;
                System.out.printf("RegistryOutageIT: registry down mid-stream for %d s; %d results %.1f s after it"
                        + " came back; stream threads replaced meanwhile: %d%n", RETRY_TIMEOUT.multipliedBy(2)
                        .toSeconds(), late.size(), (System.nanoTime() - back) / 1e9, replaced);
                assertTrue(replaced > 0, "an outage past the retry timeout replaces the stream thread");

                List<Output> all = reader.drainToEnd(Duration.ofSeconds(10));
                assertEquals(List.of(), all.stream().filter(o -> o.topic().equals(DLQ)).toList(), "no dead letters");
                Map<String, Long> perKey = all.stream().filter(o -> o.topic().equals(RESULTS))
                        .collect(Collectors.groupingBy(Output::key, Collectors.counting()));
                List<String> ids = new ArrayList<>(early);
                ids.addAll(late);
                for (String id : ids) {
                    assertEquals(1L, perKey.getOrDefault(id, 0L), "exactly one committed result for " + id);
                }
                assertEquals(ids.size(), perKey.size(), "no other results");
            }
        }
    }

    /** ImageEvent with one more optional field: a writer schema the application has never seen. */
    private static Schema evolved() {
        String json = ImageEvent.getClassSchema().toString();
        int end = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, end)
                + ",{\"name\":\"sourceTeam\",\"type\":[\"null\",\"string\"],\"default\":null}" + json.substring(end));
    }

    private static byte[] encode(Schema schema, ImageEvent event) throws IOException {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : ImageEvent.getClassSchema().getFields()) {
            record.put(f.name(), event.get(f.name()));
        }
        record.put("sourceTeam", "outage-test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<GenericData.Record>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

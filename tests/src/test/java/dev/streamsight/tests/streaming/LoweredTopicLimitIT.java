package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.testing.ProvokesStreamThreadDeath;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineRunner;
import dev.streamsight.topology.ThreadFailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results topic whose {@code max.message.bytes} is lowered while the pipeline runs (exactly_once_v2):
 * the broker refuses the next result, which costs that transaction and one stream thread, replaced;
 * the retry reads the topic's limit again and writes one small {@code PRODUCTION_FAILED} dead letter
 * instead, as for the next event, which costs no thread; each event's other outputs are committed
 * once (read_committed).
 */
@ProvokesStreamThreadDeath
class LoweredTopicLimitIT {
    private static final String INPUT = "lowered-limit";
    private static final String CLASSIFICATIONS = INPUT + "." + PipelineRuntime.CLASSIFIER;
    private static final String DETECTIONS = INPUT + "." + PipelineRuntime.DETECTOR;
    private static final String DLQ = INPUT + ".dlq";

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aRefusalAfterStartCostsOneThreadAndTheRetryWritesADeadLetter() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(1, INPUT, CLASSIFICATIONS, DETECTIONS, DLQ);
            StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                    "input.topics", INPUT, "models", PipelineRuntime.CLASSIFIER + "," + PipelineRuntime.DETECTOR,
                    "application.id", "lowered-limit-it", "state.dir", dir.resolve("state").toString(),
                    "commit.interval.ms", "100", "batch.max.wait", "50ms"))
                    .properties(Map.of("fetch.file.roots", StreamingIo.SHARED.resolve("images").toString())).build();
            List<Path> photos = StreamingIo.imagenetSample();
            long deathsBefore = ThreadFailurePolicy.streamThreadDeaths();
            try (PipelineRunner runner = PipelineRunner.start(config);
                    EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(), Map.of(
                            CLASSIFICATIONS, ClassificationResult.class, DETECTIONS, DetectionResult.class,
                            DLQ, DeadLetter.class));
                    Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertTrue(runner.awaitRunning(Duration.ofSeconds(60)));
                producer.send(INPUT, null, System.currentTimeMillis(), "before",
                        StreamingIo.uriEvent("before", photos.get(0).toUri().toString(), null), new RecordHeaders());
                reader.readUntil("the first event's results", Duration.ofSeconds(60), seen -> seen.size() >= 2);

                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, CLASSIFICATIONS);
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET))))
                        .all().get(30, TimeUnit.SECONDS);
                // One at a time, so that the second is not retried with the first, but met afresh.
                List<String> after = List.of("after-1", "after-2");
                List<Output> out = List.of();
                for (int i = 0; i < after.size(); i++) {
                    String id = after.get(i);
                    producer.send(INPUT, null, System.currentTimeMillis(), id, StreamingIo.uriEvent(id,
                            photos.get(1 + i).toUri().toString(), null), new RecordHeaders());
                    out = reader.readUntil(id + "'s outputs", Duration.ofSeconds(90),
                            seen -> seen.stream().filter(o -> o.key().equals(id)).count() >= 2);
                }

                for (String id : after) {
                    List<Output> outputs = out.stream().filter(o -> o.key().equals(id)).toList();
                    assertEquals(2, outputs.size(), outputs.toString());
                    assertEquals(1, outputs.stream().filter(o -> o.topic().equals(DETECTIONS)).count(),
                            outputs.toString());
                    DeadLetter dl = (DeadLetter) outputs.stream().filter(o -> o.topic().equals(DLQ)).findFirst()
                            .orElseThrow().value();
                    assertEquals("PRODUCTION_FAILED", dl.getReasonCode());
                    assertTrue(dl.getMessage().contains("does not fit topic " + CLASSIFICATIONS)
                            && dl.getMessage().contains("limit of 200 bytes"), dl.getMessage());
                }
                assertEquals(6, out.size(), "the first event's two results and two outputs each after: " + out);
                assertEquals(1, ThreadFailurePolicy.streamThreadDeaths() - deathsBefore, "one thread replaced");
                assertEquals(KafkaStreams.State.RUNNING, runner.state());
            }
        }
    }
}

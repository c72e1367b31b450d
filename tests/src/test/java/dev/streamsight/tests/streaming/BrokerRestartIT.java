package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.embedded.KafkaBrokerProcess;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only broker goes away mid-stream and comes back: {@code streamsight run} (its own JVM,
 * exactly_once_v2) processes 600 file:// events over 6 partitions against a broker that is a child JVM
 * ({@link KafkaBrokerProcess}). Once about a third have committed results the broker is stopped
 * (SIGTERM, or SIGKILL as a crash), stays down {@link #OUTAGE}, and is started again on the same port
 * and data directory. The application must ride the outage through: every event ends with exactly one
 * committed result (read_committed), there is no dead letter, the process is still running and no
 * stream thread died. Prints how long output took to resume once the broker was back, and in all.
 */
class BrokerRestartIT {
    private static final String INPUT = "restart-images";
    private static final String MODEL = "mobilenetv2-12-int8";
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final int PARTITIONS = 6;
    private static final int EVENTS = 600;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** From the broker being back to the last result: a few seconds here; generous for a loaded machine. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void theApplicationRidesThroughACleanBrokerRestart() throws Exception {
        scenario(false);
    }

    @Test
    @Timeout(420)
    void theApplicationRidesThroughABrokerKilledAndRestarted() throws Exception {
        scenario(true);
    }

    private void scenario(boolean kill) throws Exception {
        String how = kill ? "SIGKILL" : "SIGTERM";
        List<Path> photos = StreamingIo.imagenetSample();
        Map<String, Integer> perKey = new ConcurrentHashMap<>();
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        AtomicLong deadLetters = new AtomicLong();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().directory(dir.resolve("broker")).start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            broker.createTopics(PARTITIONS, INPUT, RESULTS, DLQ);
            List<String> args = List.of("--bootstrap-server", broker.bootstrapServers(), "--schema-registry",
                    registry.url(), "--input-topic", INPUT, "--models", MODEL, "--application-id", "restart-it",
                    "-p", "commit.interval.ms=100", "-p", "fetch.file.roots=" + StreamingIo.SHARED.resolve("images"));
            try (RunProcess app = RunProcess.start(dir.resolve("run.log"), List.of("-Xmx768m"),
                    Map.of("STREAMSIGHT_STATE_ROOT", dir.resolve("state").toString()), args)) {
                Await.until("the application RUNNING", Duration.ofMinutes(2), () -> {
                    assertTrue(app.isAlive(), app.tail());
                    return app.log().contains("-> RUNNING");
                });
                CommittedTail reader = CommittedTail.start("restart-reader", broker.bootstrapServers(),
                        List.of(RESULTS, DLQ), PARTITIONS, r -> {
                            if (r.topic().equals(DLQ)) {
                                deadLetters.incrementAndGet();
                                return;
                            }
                            arrivals.putIfAbsent(r.key(), System.currentTimeMillis());
                            perKey.merge(r.key(), 1, Integer::sum);
                        });
                try {
                    try (EventProducer producer = new EventProducer(broker.bootstrapServers(), registry.url())) {
                        for (int n = 0; n < EVENTS; n++) {
                            String id = String.format("r%04d", n);
                            producer.sendAsync(INPUT, n % PARTITIONS, System.currentTimeMillis(), id,
                                    StreamingIo.uriEvent(id, photos.get(n % photos.size()).toUri().toString(), null),
                                    new RecordHeaders());
                        }
                        producer.flush();
                    }
                    Await.until("a third of the results", Duration.ofMinutes(3), () -> perKey.size() >= EVENTS / 3);
                    int before = perKey.size();
                    long down = System.currentTimeMillis();
                    if (kill) {
                        broker.kill();
                    } else {
                        broker.stop();
                    }
                    Thread.sleep(OUTAGE.toMillis());
                    assertTrue(app.isAlive(), "the application exited while the broker was down:\n" + app.tail());
                    int duringOutage = perKey.size();
                    broker.start();
                    long back = System.currentTimeMillis();
                    Await.until("a result for every event after the restart (" + perKey.size() + " so far)",
                            Duration.ofMinutes(4), () -> perKey.size() >= EVENTS);
                    Thread.sleep(3000); // a duplicate committed late would show up here
                    long resumed = arrivals.values().stream().filter(t -> t >= back).mapToLong(Long::longValue)
                            .min().orElse(-1);
                    long done = arrivals.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                    System.out.printf("BrokerRestartIT (%s): %d results before the stop, %d by the restart; broker"
                            + " down %d ms; first new result %d ms after the broker was back, all %d done %d ms"
                            + " after it was back (%d ms after the stop); broker restart took %d ms%n", how, before,
                            duringOutage, back - down, resumed < 0 ? -1 : resumed - back, EVENTS, done - back,
                            done - down, broker.lastStartupTime().toMillis());

                    List<String> problems = new ArrayList<>();
                    for (int n = 0; n < EVENTS; n++) {
                        String id = String.format("r%04d", n);
                        int count = perKey.getOrDefault(id, 0);
                        if (count != 1) {
                            problems.add(id + " has " + count + " committed results");
                        }
                    }
                    assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " events wrong");
                    assertEquals(0, deadLetters.get(), "dead letters:\n" + app.tail());
                    assertTrue(done - back < RECOVERY_BOUND.toMillis(), "the remaining events took " + (done - back)
                            + " ms after the broker was back");
                    assertTrue(app.isAlive(), "the application is still running:\n" + app.tail());
                    assertFalse(app.streamThreadDied(), "no stream thread died:\n" + app.tail());
                } finally {
                    reader.close();
                }
                assertEquals(0, app.stop(), "a clean stop after the outage:\n" + app.tail());
            }
        }
    }
}

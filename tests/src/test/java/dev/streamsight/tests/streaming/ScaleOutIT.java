package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out, under exactly_once_v2 and under at_least_once: three {@code streamsight run} instances, separate JVMs with one
 * application id and one state root on this host, share 6 partitions of 2,000 events (30 of them
 * invalid in five ways). One is SIGKILLed mid-stream and a fourth, with a fresh state root (a new
 * container), starts at once. Under exactly_once_v2 every good event must end with exactly one
 * committed result and every invalid one with exactly one dead letter; under at_least_once at least
 * one each (the duplicates are counted and printed). In both, the killed instance's partitions must move on within
 * {@link #FAILOVER_BOUND}: measured as the time from the kill until every partition has committed
 * output for an event sent after the kill.
 */
class ScaleOutIT {
    private static final String INPUT = "scale-images";
    private static final String MODEL = "mobilenetv2-12-int8";
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final int PARTITIONS = 6;
    private static final int EVENTS = 2000;
    /** What the README promises: 10 s session timeout, 10 s transaction timeout, rebalance and restore. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(35);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    @Timeout(600)
    void instancesShareTheWorkAndAKilledOneLosesNothing(String guarantee) throws Exception {
        boolean exactlyOnce = guarantee.equals("exactly_once_v2");
        List<Path> photos = StreamingIo.imagenetSample();
        Path roots = Files.createDirectories(dir.resolve("images"));
        Path text = Files.writeString(roots.resolve("notes.jpg"), "not an image");
        Map<String, String> expectedDeadLetters = new HashMap<>();
        Set<String> good = new HashSet<>();
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        Map<String, Integer> outputsPerKey = new ConcurrentHashMap<>();
        Map<Integer, Long> firstAfterKill = new ConcurrentHashMap<>();
        List<RunProcess> instances = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(PARTITIONS, INPUT, RESULTS, DLQ);
            List<String> args = List.of("--bootstrap-server", kafka.bootstrapServers(), "--schema-registry",
                    registry.url(), "--input-topic", INPUT, "--models", MODEL, "--application-id", "scale-it",
                    "--processing-guarantee", guarantee,
                    "-p", "commit.interval.ms=100", "-p", "fetch.file.roots=" + roots + "," + photos.getFirst().getParent());
            Map<String, String> env = Map.of("STREAMSIGHT_STATE_ROOT", dir.resolve("host-state").toString());
            for (int i = 0; i < 3; i++) {
                instances.add(RunProcess.start(dir.resolve("instance-" + i + ".log"), List.of("-Xmx768m"), env, args));
            }
            for (RunProcess p : instances) {
                Await.until("instance RUNNING", Duration.ofMinutes(2), () -> {
                    assertTrue(p.isAlive(), p.tail());
                    return p.log().contains("-> RUNNING");
                });
            }
            Set<String> slots = new HashSet<>();
            for (RunProcess p : instances) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("instance slot (\\d+)").matcher(p.log());
                assertTrue(m.find(), p.tail());
                slots.add(m.group(1));
            }
            assertEquals(Set.of("0", "1", "2"), slots, "three instances on one host, three state directories");

            CommittedTail reader = CommittedTail.start("scale-reader", kafka.bootstrapServers(), List.of(RESULTS, DLQ),
                    PARTITIONS, r -> count(r, arrivals, outputsPerKey, firstAfterKill));
            long killedAt;
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url())) {
                int n = 0;
                for (; n < EVENTS / 2; n++) {
                    send(producer, n, photos, roots, text, good, expectedDeadLetters);
                }
                producer.flush();
                Await.until("a third of the first wave", Duration.ofMinutes(3), () -> arrivals.size() >= EVENTS / 6);
                RunProcess victim = instances.get(1);
                victim.kill();
                killedAt = System.currentTimeMillis();
                synchronized (firstAfterKill) {
                    firstAfterKill.put(-1, killedAt); // from now on the reader notes each partition's first new output
                }
                instances.add(RunProcess.start(dir.resolve("instance-3.log"), List.of("-Xmx768m"),
                        Map.of("STREAMSIGHT_STATE_ROOT", dir.resolve("new-container").toString()), args));
                for (; n < EVENTS; n++) {
                    send(producer, n, photos, roots, text, good, expectedDeadLetters);
                }
                producer.flush();
            }
            Set<String> all = new HashSet<>(good);
            all.addAll(expectedDeadLetters.keySet());
            Await.until("an output for every event (" + arrivals.size() + " so far)", Duration.ofMinutes(5),
                    () -> arrivals.keySet().containsAll(all));
            Thread.sleep(3000); // a duplicate committed late would show up here
            reader.close();

            Map<Integer, Long> waits = new TreeMap<>();
            firstAfterKill.forEach((p, t) -> {
                if (p >= 0) {
                    waits.put(p, t - killedAt);
                }
            });
            long failover = waits.values().stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
            System.out.println("scale-out: output resumed on each partition after the kill (ms): " + waits
                    + "; failover " + failover + " ms");
            assertEquals(PARTITIONS, waits.size(), "every partition has output after the kill: " + waits);
            assertTrue(failover <= FAILOVER_BOUND.toMillis(), "failover took " + failover + " ms: " + waits);

            List<String> problems = new ArrayList<>();
            int duplicates = 0;
            for (String id : all) {
                int count = outputsPerKey.getOrDefault(id, 0);
                duplicates += Math.max(0, count - 1);
                if (count == 0 || (exactlyOnce && count != 1)) {
                    problems.add(id + " has " + count + " outputs");
                }
            }
            System.out.println("scale-out (" + guarantee + "): " + all.size() + " events, " + duplicates
                    + " duplicate outputs");
            assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " events wrong");
            for (int i = 0; i < instances.size(); i++) {
                RunProcess p = instances.get(i);
                assertTrue(!p.streamThreadDied(), "instance " + i + ":\n" + p.tail());
            }
        } finally {
            for (RunProcess p : instances) {
                p.close();
            }
        }
    }

    /** Event n: mostly good, every 66th one invalid in one of five ways. */
    private static void send(EventProducer producer, int n, List<Path> photos, Path roots, Path text, Set<String> good,
            Map<String, String> deadLetters) {
        String id = String.format("e%04d", n);
        long ts = System.currentTimeMillis();
        if (n % 66 == 33 && deadLetters.size() < 30) {
            switch (deadLetters.size() % 5) {
                case 0 -> producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id,
                        roots.resolve("missing-" + n + ".jpg").toUri().toString(), null), new RecordHeaders());
                case 1 -> producer.sendRaw(INPUT, null, ts, id, ("garbage " + n).getBytes(), new RecordHeaders());
                case 2 -> producer.send(INPUT, null, ts, id, StreamingIo.uriEvent("", photos.get(0).toUri().toString(),
                        null), new RecordHeaders());
                case 3 -> producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id, "ftp://127.0.0.1/x.jpg", null),
                        new RecordHeaders());
                default -> producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id, text.toUri().toString(), null),
                        new RecordHeaders());
            }
            deadLetters.put(id, "any");
            return;
        }
        good.add(id);
        producer.sendAsync(INPUT, null, ts, id, StreamingIo.uriEvent(id,
                photos.get(n % photos.size()).toUri().toString(), null), new RecordHeaders());
    }

    /**
     * Counts a committed output per key and, once the kill time is set (key -1), notes when each
     * partition first shows a new output.
     */
    private static void count(ConsumerRecord<String, byte[]> r, Map<String, Long> arrivals, Map<String, Integer> perKey,
            Map<Integer, Long> firstAfterKill) {
        long now = System.currentTimeMillis();
        arrivals.putIfAbsent(r.key(), now);
        perKey.merge(r.key(), 1, Integer::sum);
        synchronized (firstAfterKill) {
            Long killed = firstAfterKill.get(-1);
            if (killed != null && r.topic().equals(RESULTS) && r.timestamp() >= killed) {
                firstAfterKill.putIfAbsent(r.partition(), now);
            }
        }
    }
}

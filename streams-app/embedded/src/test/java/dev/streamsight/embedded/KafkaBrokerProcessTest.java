package dev.streamsight.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real broker in a child JVM: produce/consume, SIGKILL, restart on the same port and data. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaBrokerProcessTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void committedRecordsSurviveSigkillAndRestartOnTheSamePort() throws Exception {
        Path dir;
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().start()) {
            dir = broker.directory();
            String bootstrap = broker.bootstrapServers();
            long firstPid = broker.pid();
            System.out.println("child-JVM broker startup: " + broker.lastStartupTime().toMillis() + " ms");
            broker.createTopics(1, "durable");

            try (KafkaProducer<String, String> producer = KafkaTestClients.producer(bootstrap, "durable-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("durable", "k" + i, "before-" + i));
                }
                producer.commitTransaction();
            }
            List<String> before = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                    bootstrap, "durable", 1, "read_committed", v -> v.size() >= 5, READ_TIMEOUT));
            assertEquals(List.of("before-0", "before-1", "before-2", "before-3", "before-4"), before);

            broker.kill();
            assertFalse(broker.isAlive());
            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "SIGKILLed");

            broker.start();
            System.out.println("child-JVM broker restart after SIGKILL: " + broker.lastStartupTime().toMillis() + " ms");
            assertTrue(broker.isAlive());
            assertNotEquals(firstPid, broker.pid());
            assertEquals(bootstrap, broker.bootstrapServers());

            List<String> after = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                    bootstrap, "durable", 1, "read_committed", v -> v.size() >= 5, READ_TIMEOUT));
            assertEquals(before, after);

            // The restarted broker takes new transactions from the same transactional id.
            try (KafkaProducer<String, String> producer = KafkaTestClients.producer(bootstrap, "durable-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("durable", "k5", "after-5"));
                producer.commitTransaction();
            }
            List<String> all = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                    bootstrap, "durable", 1, "read_committed", v -> v.contains("after-5"), READ_TIMEOUT));
            assertEquals(6, all.size());
            assertEquals("after-5", all.get(5));

            broker.restart(); // a clean SIGTERM stop, then the same ports again
            assertTrue(broker.isAlive());
            assertTrue(Files.readString(broker.logFile()).contains("==== streamsight: start #3"));
        }
        assertFalse(Files.exists(dir), "temporary directory deleted on close");
    }

    @Test
    void aChildThatCannotStartIsReportedWithItsLogFile(@TempDir Path dir) {
        var builder = KafkaBrokerProcess.builder()
                .directory(dir)
                .classpath(dir.resolve("no-such.jar").toString()) // the child fails: no main class
                .startupTimeout(Duration.ofSeconds(30));
        EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, builder::start);
        assertTrue(e.getMessage().contains(dir.resolve("broker.log").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
        assertTrue(e.getMessage().contains("ChildBrokerMain"), e.getMessage()); // the log tail is quoted
        assertTrue(Files.exists(dir.resolve("data").resolve("meta.properties")), "storage was formatted");
    }
}

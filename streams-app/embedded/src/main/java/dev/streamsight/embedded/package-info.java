/**
 * A real Kafka cluster of one node (KRaft, broker and controller in one process) on
 * {@code 127.0.0.1}, with no Docker: for the {@code demo} default mode and for integration tests.
 *
 * <ul>
 *   <li>{@link dev.streamsight.embedded.EmbeddedKafka}: the broker inside this JVM (starts in about
 *       a second once Kafka's classes are loaded, 2-3 s cold).</li>
 *   <li>{@link dev.streamsight.embedded.KafkaBrokerProcess}: the same broker as a child JVM, for
 *       tests that SIGKILL and restart it on the same ports and data.</li>
 *   <li>{@link dev.streamsight.embedded.FreePorts}: free ports on {@code 127.0.0.1}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(3, "images", "images.dlq");
 *     Map<String, Object> config = kafka.clientProperties(); // bootstrap.servers=127.0.0.1:<port>
 *     ...
 * }
 * }</pre>
 *
 * <p>Both run with replication factor 1 and min ISR 1 for every topic, the transaction state and
 * consumer offsets topics included, so transactions and Kafka Streams {@code exactly_once_v2} work.
 * Kafka logs through slf4j: the binding and its configuration are the application's choice (the
 * tests use slf4j-simple at WARN); with no binding slf4j prints one notice and logs nothing.
 */
package dev.streamsight.embedded;

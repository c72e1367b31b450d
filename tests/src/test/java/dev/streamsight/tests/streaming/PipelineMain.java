package dev.streamsight.tests.streaming;

import dev.streamsight.image.ImageDecoder;
import dev.streamsight.topology.PipelineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Test-only main: the Streamsight pipeline as its own JVM, for tests that SIGKILL the application.
 * Configured by system properties ({@code it.*}, see {@link ChildPipeline}); builds the same
 * topology as the application through {@link PipelineRuntime}.
 *
 * <p>Protocol on stdout, one line each: {@code STATE <KafkaStreams state>} on every state change,
 * {@code DECODE} when the pipeline starts decoding an image (that is, a batch is in flight and not
 * yet committed), {@code FATAL <message>} when a stream thread dies. Logs go to stderr. The JVM
 * halts when its stdin closes, so a child never outlives the test JVM.
 */
public final class PipelineMain {
    private PipelineMain() {
    }

    public static void main(String[] args) throws Exception {
        String input = prop("it.input");
        PipelineSettings settings = PipelineSettings.defaults(input, Arrays.asList(prop("it.models").split(",")))
                .withBatch(Integer.parseInt(prop("it.batchSize")),
                        Duration.ofMillis(Long.parseLong(prop("it.maxWaitMs"))))
                .withFetch(StreamingIo.sharedImagesOnly());
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), prop("it.groupInstanceId"));
        extra.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        // Only for checking that the crash test can fail: exactly_once_v2 unless told otherwise.
        extra.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                System.getProperty("it.guarantee", StreamsConfig.EXACTLY_ONCE_V2));
        extra.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.getLong("it.commitIntervalMs", 100L));
        extra.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Integer.parseInt(prop("it.transactionTimeoutMs")));
        var options = new PipelineRuntime.Options(prop("it.bootstrap"), prop("it.registry"), prop("it.appId"),
                settings, Integer.parseInt(prop("it.threads")), Path.of(prop("it.stateDir")), extra);
        long decodeDelayMs = Long.parseLong(System.getProperty("it.decodeDelayMs", "0"));

        UnaryOperator<ImageDecoder> announce = decoder -> (bytes, hint) -> {
            say("DECODE");
            if (decodeDelayMs > 0) {
                try {
                    Thread.sleep(decodeDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return decoder.decode(bytes, hint);
        };
        PipelineRuntime runtime = PipelineRuntime.create(options, announce);
        KafkaStreams streams = runtime.streams();
        streams.setStateListener((now, before) -> {
            say("STATE " + now);
            if (now == KafkaStreams.State.ERROR) {
                Runtime.getRuntime().halt(2);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            say("FATAL " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "pipeline-shutdown"));
        Thread orphanGuard = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // ignore anything the parent writes
                }
            } catch (IOException e) {
                // treat like EOF
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-guard");
        orphanGuard.setDaemon(true);
        orphanGuard.start();
        runtime.start();
        Thread.currentThread().join();
    }

    private static String prop(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing -D" + key);
        }
        return v;
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}

package dev.streamsight.observe;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether an instance is alive and whether it is ready for traffic, from what it reports: its models
 * loaded (and warmed up: {@code ModelLoader} runs one image through each model as it loads it), then
 * Kafka Streams' state changes, then a requested stop.
 * <ul>
 *   <li><b>live</b> while the process is up and Kafka Streams has not failed: not in ERROR or
 *       PENDING_ERROR, nor NOT_RUNNING without a requested stop. A failed instance should be restarted.</li>
 *   <li><b>ready</b> only when Kafka Streams is RUNNING and every model is loaded and warmed up; not while
 *       models load, while Kafka Streams starts or rebalances (a stream thread being replaced makes it
 *       rebalance), nor once a stop was requested.</li>
 * </ul>
 * Thread-safe: reporters and readers may be any threads.
 */
public final class Readiness {
    private static final Set<KafkaStreams.State> FAILED = EnumSet.of(KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR);

    /** A verdict: whether it holds, the Kafka Streams state (or a phase before it exists) and why. */
    public record Status(boolean ok, String state, String reason) {
    }

    private volatile KafkaStreams.State streams; // null until Kafka Streams is created
    private volatile boolean modelsReady;
    private volatile int models;
    private volatile boolean stopping;

    /** The models are loaded and warmed up. */
    public void modelsReady(int count) {
        models = count;
        modelsReady = true;
    }

    /** Kafka Streams changed state (its state listener). */
    public void streamsState(KafkaStreams.State now) {
        streams = now;
    }

    /** A stop was requested: no longer ready, and NOT_RUNNING is then no failure. */
    public void stopping() {
        stopping = true;
    }

    /** The liveness verdict. */
    public Status live() {
        KafkaStreams.State s = streams;
        String state = state();
        if (s != null && FAILED.contains(s)) {
            return new Status(false, state, "Kafka Streams failed (" + s + ")");
        }
        if (s == KafkaStreams.State.NOT_RUNNING && !stopping) {
            return new Status(false, state, "Kafka Streams stopped without a requested stop");
        }
        return new Status(true, state, stopping ? "stopping" : "up");
    }

    /** The readiness verdict. */
    public Status ready() {
        KafkaStreams.State s = streams;
        String state = state();
        if (stopping) {
            return new Status(false, state, "stopping");
        }
        if (!modelsReady) {
            return new Status(false, state, "loading models");
        }
        if (s == null) {
            return new Status(false, state, "Kafka Streams is not started yet");
        }
        if (s != KafkaStreams.State.RUNNING) {
            return new Status(false, state, "Kafka Streams is " + s + ", not RUNNING");
        }
        return new Status(true, state, "Kafka Streams is RUNNING and " + models + (models == 1 ? " model is" : " models are")
                + " loaded and warmed up");
    }

    private String state() {
        KafkaStreams.State s = streams;
        return s != null ? s.name() : modelsReady ? "STARTING" : "LOADING_MODELS";
    }
}

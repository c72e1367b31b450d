package dev.streamsight.cli;

import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.observe.HttpEndpoint;
import dev.streamsight.observe.LogFormat;
import dev.streamsight.observe.PipelineMetrics;
import dev.streamsight.observe.Readiness;
import dev.streamsight.topology.PipelineRunner;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code streamsight run}: the production application, until stopped. SIGTERM or SIGINT close it
 * cleanly ({@code KafkaStreams.close}, then resources and models) and the process exits 0; a second
 * signal during the shutdown exits at once (exactly-once replays whatever was unfinished).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Kafka Streams pipeline until stopped (SIGTERM/SIGINT: clean shutdown, exit 0).",
                "Configuration: --config FILE, STREAMSIGHT_* variables, -p KEY=VALUE and the flags below, in"
                        + " increasing precedence; see README, Streaming, for the keys.",
                "Exit status: 0 after a requested stop, 1 when Kafka Streams stopped on a fatal error,"
                        + " 2 on a configuration error."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--input-topic", paramLabel = "T[,T...]", description = "Input topics (key input.topics; default images).")
    String inputTopics;

    @Option(names = "--models", paramLabel = "ID[,ID...]",
            description = "Models to run (key models; default mobilenetv2-12-int8,yolox-nano).")
    String models;

    @Option(names = "--application-id", paramLabel = "A", description = "Kafka Streams application id (default streamsight).")
    String applicationId;

    @Option(names = "--http-port", paramLabel = "P",
            description = "Port of /metrics, /health/live and /health/ready (key http.port; default 8080, an"
                    + " ephemeral port when 8080 is taken; 0: none).")
    String httpPort;

    @Mixin
    StreamingOptions streaming;

    @Override
    public Integer call() throws InterruptedException {
        StreamsightConfig config = streaming.fill(connection.builder())
                .flag(StreamsightConfig.INPUT_TOPICS, inputTopics, "--input-topic")
                .flag(StreamsightConfig.MODELS, models, "--models")
                .flag(StreamsightConfig.APPLICATION_ID, applicationId, "--application-id")
                .flag(StreamsightConfig.HTTP_PORT, httpPort, "--http-port")
                .build();
        LogFormat.parse(config.logFormat()).apply();
        PipelineMetrics metrics = config.httpPort() == 0 ? PipelineMetrics.noop() : PipelineMetrics.prometheus();
        Readiness readiness = new Readiness();
        // Bound before the models load: a port conflict fails at once, and /health/ready says "loading models".
        HttpEndpoint endpoint = serve(config, metrics, readiness);
        try {
            return run(config, metrics, readiness);
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    /** The metrics and health endpoint, or null when {@code http.port} is 0. */
    static HttpEndpoint serve(StreamsightConfig config, PipelineMetrics metrics, Readiness readiness) {
        if (config.httpPort() == 0) {
            return null;
        }
        metrics.bindReadiness(readiness);
        return HttpEndpoint.start(config.httpHost(), config.httpPort(), config.httpPortIsDefault(), metrics,
                readiness);
    }

    private int run(StreamsightConfig config, PipelineMetrics metrics, Readiness readiness)
            throws InterruptedException {

        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        SignalHandlers.install(List.of("TERM", "INT"), name -> {
            if (signals.incrementAndGet() == 1) {
                LOG.info("SIG{} received: shutting down cleanly (send it again to exit at once)", name);
                stop.countDown();
            } else {
                LOG.warn("SIG{} received again: exiting without waiting; unfinished work is replayed on the next"
                        + " start", name);
                Runtime.getRuntime().halt(1);
            }
        });

        PipelineRunner runner = PipelineRunner.start(config, metrics, readiness);
        // Backstop for any other way the JVM ends (SIGHUP, System.exit elsewhere): close anyway.
        Thread hook = new Thread(runner::close, "streamsight-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.termination().whenComplete((state, e) -> stop.countDown());
        try {
            stop.await();
        } finally {
            runner.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs, and finds the runner closed
            }
        }
        if (signals.get() == 0 && runner.state() == KafkaStreams.State.ERROR) {
            spec().getErr().println("streamsight run: Kafka Streams stopped after a fatal error (see the log)");
            return 1;
        }
        return 0;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private picocli.CommandLine spec() {
        return spec.commandLine();
    }
}

package dev.streamsight.cli;

import dev.streamsight.compare.Comparison;
import dev.streamsight.compare.ComparisonReport;
import dev.streamsight.compare.ModelResult;
import dev.streamsight.compare.Side;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.model.Task;
import dev.streamsight.observe.HttpEndpoint;
import dev.streamsight.observe.LogFormat;
import dev.streamsight.observe.PipelineMetrics;
import dev.streamsight.observe.Readiness;
import dev.streamsight.replay.ManifestStore;
import dev.streamsight.replay.RangeSpec;
import dev.streamsight.replay.ReplayException;
import dev.streamsight.replay.ReplayManifest;
import dev.streamsight.replay.ReplayPlanner;
import dev.streamsight.replay.ReplayProgress;
import dev.streamsight.topology.OffsetRange;
import dev.streamsight.topology.PipelineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code streamsight replay}: runs a bounded range of an input topic through a model with the same
 * topology as {@code run}, as its own Kafka Streams application, into new topics, and exits once the
 * range is done; optionally compares the results with an existing results topic. Interrupted (SIGINT,
 * SIGTERM), it stops cleanly and the same command resumes it; run again after it completed, it says
 * so instead of doing the work twice.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a range of an input topic through a model into new topics, then exit;"
                + " optionally compare the results with an existing results topic.",
                "The same command again resumes an interrupted replay, or reports that it is complete.",
                "Exit status: 0 when the range is done, 1 on a failure, 2 on a usage or configuration error,"
                        + " 130 when interrupted (run it again to resume)."})
final class ReplayCommand implements java.util.concurrent.Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);
    static final int INTERRUPTED = 130;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--input-topic", required = true, paramLabel = "T", description = "Topic of ImageEvents to replay.")
    String inputTopic;

    @Option(names = "--model", required = true, paramLabel = "ID|PATH",
            description = "Model to run: a catalog id or an ONNX file (.onnx or .onnx.gz).")
    String model;

    @Option(names = "--from", paramLabel = "earliest|TIMESTAMP|P:O,...", defaultValue = "earliest",
            description = "Start: earliest (default), an ISO-8601 timestamp, or partition:offset pairs.")
    String from;

    @Option(names = "--until", paramLabel = "now|TIMESTAMP", defaultValue = "now",
            description = "End (exclusive): now (default: the end offsets at the first start) or an ISO-8601"
                    + " timestamp.")
    String until;

    @Option(names = "--output-topic", paramLabel = "O",
            description = "Results topic (default <input>.<model>.replay-<UTC timestamp>); dead letters go to O.dlq.")
    String outputTopic;

    @Option(names = "--application-id", paramLabel = "A",
            description = "Kafka Streams application id (default derived from the arguments, so the same"
                    + " command resumes the same replay).")
    String applicationId;

    @Option(names = "--compare-with", paramLabel = "RESULTS_TOPIC",
            description = "Results topic of the model in use, to compare the replay's results with.")
    String compareWith;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write the comparison as a self-contained HTML page.")
    Path report;

    @Option(names = "--json", description = "Print the summary (and comparison) as one JSON object on stdout.")
    boolean json;

    @Option(names = "--provider", paramLabel = "cpu|cuda|tensorrt", description = "Execution provider (default cpu).")
    String provider;

    @Option(names = "--allow-provider-fallback", description = "Run on CPU when the GPU provider cannot load.")
    boolean allowFallback;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads per model (default: ONNX Runtime's).")
    String threads;

    @Option(names = "--http-port", paramLabel = "P",
            description = "Serve /metrics, /health/live and /health/ready on this port while replaying (key"
                    + " http.port; default 0: none).")
    String httpPort;

    @Mixin
    StreamingOptions streaming;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RangeSpec range = new RangeSpec(from, until);
        if (report != null && compareWith == null) {
            throw new ReplayException("--report needs --compare-with: it reports the comparison");
        }
        StreamsightConfig config = streaming.fill(connection.builder()
                .commandDefaults(Map.of(StreamsightConfig.HTTP_PORT, "0"), "replay default"))
                .flag(StreamsightConfig.INPUT_TOPICS, inputTopic, "--input-topic")
                .flag(StreamsightConfig.MODELS, model, "--model")
                .flag(StreamsightConfig.PROVIDER, provider, "--provider")
                .flag(StreamsightConfig.PROVIDER_FALLBACK, allowFallback ? "true" : null, "--allow-provider-fallback")
                .flag(StreamsightConfig.ENGINE_THREADS, threads, "--threads")
                .flag(StreamsightConfig.HTTP_PORT, httpPort, "--http-port")
                .build();
        LogFormat.parse(config.logFormat()).apply();
        PipelineMetrics metrics = config.httpPort() == 0 ? PipelineMetrics.noop() : PipelineMetrics.prometheus();
        Readiness readiness = new Readiness();
        HttpEndpoint endpoint = RunCommand.serve(config, metrics, readiness);
        try {
            return execute(config, range, out, err, metrics, readiness);
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    private int execute(StreamsightConfig config, RangeSpec range, PrintWriter out, PrintWriter err,
            PipelineMetrics metrics, Readiness readiness) throws InterruptedException, IOException {
        Map<String, Object> client = ConnectionOptions.requireClientProperties(config);
        List<LoadedModel> models = PipelineRunner.loadModels(config);
        boolean handedOver = false;
        try (Admin admin = Admin.create(client)) {
            LoadedModel m = models.getFirst();
            Comparison comparison = null;
            if (compareWith != null) { // checked before any work
                comparison = new Comparison(compareWith, "replay of " + m.id());
                comparison.expectTask(Side.NEW, m.task());
                comparison.expectTask(Side.OLD, resultsTask(client, compareWith));
            }
            ManifestStore store = new ManifestStore(client, ManifestStore.DEFAULT_TOPIC);
            ReplayPlanner.Plan plan = new ReplayPlanner(admin, store, Clock.systemUTC()).plan(new ReplayPlanner.Request(
                    inputTopic, m.id(), m.sha256(), range, outputTopic, applicationId));
            ReplayManifest manifest = plan.manifest();
            long wallStart = System.nanoTime();
            if (manifest.isComplete()) {
                err.println("streamsight replay: " + manifest.applicationId() + " is already complete (finished "
                        + manifest.completedAt() + "); its results are in " + manifest.outputTopic()
                        + ". Pass another --application-id or --output-topic to replay again.");
            } else {
                err.println("streamsight replay: " + (plan.resumed() ? "resuming " : "") + inputTopic + " "
                        + manifest.range() + " (" + manifest.range().size() + " offsets) through " + m.id() + " (sha256 "
                        + m.sha256().substring(0, 12) + ") into " + manifest.outputTopic() + ", dead letters "
                        + manifest.deadLetterTopic() + ", application id " + manifest.applicationId());
                handedOver = true;
                int status = replay(config, models, admin, manifest, err, metrics, readiness);
                if (status != 0) {
                    return status;
                }
                store.save(manifest.completed(Instant.now()));
            }
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
            summarize(client, manifest, comparison, wallSeconds, out, err);
            return 0;
        } finally {
            if (!handedOver) {
                models.forEach(LoadedModel::close);
            }
        }
    }

    /** Runs the pipeline until the range is done (0), it fails (1) or a signal stops it (130). */
    private int replay(StreamsightConfig base, List<LoadedModel> models, Admin admin, ReplayManifest manifest,
            PrintWriter err, PipelineMetrics metrics, Readiness readiness) throws InterruptedException {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(StreamsightConfig.RESULTS_TOPIC, manifest.outputTopic());
        overrides.put(StreamsightConfig.DLQ_TOPIC, manifest.deadLetterTopic());
        overrides.put(StreamsightConfig.APPLICATION_ID, manifest.applicationId());
        StreamsightConfig config = base.with(overrides, "replay");
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        SignalHandlers.install(List.of("TERM", "INT"), name -> {
            if (signals.incrementAndGet() == 1) {
                LOG.info("SIG{} received: stopping the replay cleanly; run the same command to resume", name);
                stop.countDown();
            } else {
                Runtime.getRuntime().halt(INTERRUPTED);
            }
        });
        OffsetRange range = manifest.range();
        ReplayProgress progress = new ReplayProgress(range);
        boolean terminal = System.console() != null && System.console().isTerminal();
        Set<Integer> partitions = range.start().keySet().stream().map(TopicPartition::partition)
                .collect(java.util.stream.Collectors.toSet());
        try (PipelineRunner runner = PipelineRunner.start(config, models, true, range, metrics,
                readiness)) {
            long lastLine = 0;
            while (true) {
                if (stop.await(500, TimeUnit.MILLISECONDS)) {
                    runner.close();
                    if (terminal) {
                        err.println();
                    }
                    err.println("streamsight replay: interrupted; run the same command again to resume");
                    return INTERRUPTED;
                }
                if (runner.state() == KafkaStreams.State.ERROR || runner.state() == KafkaStreams.State.NOT_RUNNING
                        || runner.state() == KafkaStreams.State.PENDING_ERROR) {
                    err.println("streamsight replay: Kafka Streams stopped (" + runner.state() + "); see the log."
                            + " Run the same command again to resume.");
                    return 1;
                }
                // In this order: committed offsets at the end mean every record of the range was consumed
                // and stored; the tasks initialized mean their restored images are counted; nothing pending
                // after that means every stored image has been run.
                Map<TopicPartition, Long> committed = ReplayPlanner.committedOffsets(admin, manifest.applicationId());
                boolean initialized = runner.resources().initializedPartitions().containsAll(partitions);
                long pending = runner.resources().pendingImages();
                boolean done = progress.reachedEnd(committed) && initialized && pending == 0;
                long doneCount = progress.done(committed, pending);
                long now = System.nanoTime();
                if (terminal) {
                    err.print("\r" + progress.line(doneCount, runner.resources().deadLettersForwarded(), true));
                    err.flush();
                } else if (done || now - lastLine > TimeUnit.SECONDS.toNanos(5)) {
                    err.println(progress.line(doneCount, runner.resources().deadLettersForwarded(), false));
                    lastLine = now;
                }
                if (done) {
                    break;
                }
            }
            if (terminal) {
                err.println();
            }
            // A clean close commits the last batches' results with their offsets.
            if (!runner.close(config.shutdownTimeout())) {
                err.println("streamsight replay: Kafka Streams did not stop within " + config.shutdownTimeout()
                        + "; run the same command again to finish");
                return 1;
            }
            return 0;
        }
    }

    /** The task of the results in {@code topic}, from its first record. */
    private static Task resultsTask(Map<String, Object> client, String topic) {
        try (OutputReader reader = new OutputReader(client, List.of(topic), Duration.ZERO)) {
            reader.fromBeginning();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                for (OutputReader.Item item : reader.poll(Duration.ofMillis(200))) {
                    String kind = OutputRecords.kind(item.value());
                    if (OutputRecords.CLASSIFICATION.equals(kind)) {
                        return Task.CLASSIFICATION;
                    }
                    if (OutputRecords.DETECTION.equals(kind)) {
                        return Task.DETECTION;
                    }
                    throw new ReplayException("--compare-with: " + topic + " is not a results topic (its records are "
                            + (kind == null ? "not Avro records" : kind) + ")");
                }
            }
            throw new ReplayException("--compare-with: " + topic + " holds no results to compare with");
        } catch (IllegalArgumentException e) {
            if (e instanceof ReplayException) {
                throw e;
            }
            throw new ReplayException("--compare-with: " + e.getMessage(), e);
        }
    }

    /** Reads the replay's output back (read_committed) for the summary, and compares when asked. */
    private void summarize(Map<String, Object> client, ReplayManifest manifest, Comparison comparison,
            double wallSeconds, PrintWriter out, PrintWriter err) throws IOException {
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Integer> outputsPerEvent = new LinkedHashMap<>();
        int results = 0;
        for (GenericRecord r : readAll(client, List.of(manifest.outputTopic(), manifest.deadLetterTopic()))) {
            ModelResult mr = ResultRecordsRead.toModelResult(r);
            if (OutputRecords.DEAD_LETTER.equals(OutputRecords.kind(r))) {
                reasons.merge(OutputRecords.str(r.get("reasonCode")), 1, Integer::sum);
            } else {
                results++;
            }
            if (mr != null) {
                outputsPerEvent.merge(mr.key(), 1, Integer::sum);
                if (comparison != null) {
                    comparison.addNew(mr);
                }
            }
        }
        int deadLetters = reasons.values().stream().mapToInt(Integer::intValue).sum();
        long duplicates = outputsPerEvent.values().stream().filter(n -> n > 1).count();
        ComparisonReport compared = null;
        if (comparison != null) {
            for (GenericRecord r : readAll(client, List.of(compareWith))) {
                ModelResult mr = ResultRecordsRead.toModelResult(r);
                if (mr != null && ResultRecordsRead.inRange(r, manifest.range())) {
                    comparison.addOld(mr);
                }
            }
            compared = comparison.report();
            if (report != null) {
                Files.writeString(report, compared.toHtml(), StandardCharsets.UTF_8);
                err.println("streamsight replay: comparison report written to " + report);
            }
        }
        int events = results + deadLetters;
        double rate = wallSeconds > 0 ? events / wallSeconds : 0;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("application_id", manifest.applicationId());
            o.put("input_topic", manifest.inputTopic());
            o.put("model", manifest.modelId());
            o.put("model_sha256", manifest.modelSha256());
            o.put("output_topic", manifest.outputTopic());
            o.put("dead_letter_topic", manifest.deadLetterTopic());
            o.put("range", manifest.range().toString());
            o.put("events", events);
            o.put("results", results);
            o.put("dead_letters", deadLetters);
            o.put("dead_letters_by_reason", reasons);
            o.put("duplicates", duplicates);
            o.put("wall_seconds", Math.round(wallSeconds * 100) / 100.0);
            o.put("images_per_second", Math.round(rate * 10) / 10.0);
            if (compared != null) {
                o.put("comparison", JsonLines.tree(compared.toJson()));
            }
            new JsonLines(out).write(o);
        } else {
            out.printf(Locale.ROOT, "replay %s: %d events -> %d results in %s, %d dead letters in %s%s%n",
                    manifest.applicationId(), events, results, manifest.outputTopic(), deadLetters,
                    manifest.deadLetterTopic(), reasons.isEmpty() ? "" : " " + reasons);
            out.printf(Locale.ROOT, "wall time %.1f s, %.1f images/s%s%n", wallSeconds, rate,
                    duplicates == 0 ? "" : "; " + duplicates + " events with more than one output");
            if (compared != null) {
                out.println();
                out.print(compared.toText());
            }
            out.flush();
        }
    }

    private static List<GenericRecord> readAll(Map<String, Object> client, List<String> topics) {
        List<GenericRecord> records = new java.util.ArrayList<>();
        try (OutputReader reader = new OutputReader(client, topics, Duration.ofSeconds(10))) {
            reader.fromBeginning();
            Map<TopicPartition, Long> end = reader.endOffsets();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!reader.reached(end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end within 10 minutes");
                }
                for (OutputReader.Item item : reader.poll(Duration.ofMillis(200))) {
                    if (item.value() instanceof GenericRecord r) {
                        records.add(r);
                    }
                }
            }
        }
        return records;
    }
}

package dev.streamsight.cli;

import dev.streamsight.StreamsightException;
import dev.streamsight.bench.BaselineApp;
import dev.streamsight.bench.BenchCluster;
import dev.streamsight.bench.EngineBenchmark;
import dev.streamsight.bench.MachineLimit;
import dev.streamsight.bench.Measurement;
import dev.streamsight.bench.OverlapBenchmark;
import dev.streamsight.bench.PreprocessBenchmark;
import dev.streamsight.bench.StreamBenchmark;
import dev.streamsight.config.Durations;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.inference.Prediction;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.model.ModelSource;
import dev.streamsight.model.Task;
import dev.streamsight.observe.LogFormat;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.topology.PipelineRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each {@code bench} mode measures, as {@link Measurement}s; {@link BenchCommand} parses the
 * options and prints. One instance per command run.
 */
final class BenchModes {
    private static final Logger LOG = LoggerFactory.getLogger(BenchModes.class);
    private static final long ROUND_MILLIS = 300;
    /** Longer than an engine round: a round is whole groups of decodes and engine calls on every core. */
    private static final long OVERLAP_ROUND_MILLIS = 1000;

    private final BenchOptions options;
    private final List<Path> images;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    BenchModes(BenchOptions options, List<Path> images) {
        if (options.rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + options.rounds);
        }
        this.options = options;
        this.images = images;
    }

    int cores() {
        return cores;
    }

    private List<byte[]> encoded() {
        List<byte[]> out = new ArrayList<>();
        for (Path p : images) {
            try {
                out.add(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return out;
    }

    private ModelLoader loader(ImageDecoder decoder, EngineOptions engine) {
        return new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(), decoder, engine);
    }

    /**
     * ONNX Runtime alone on prepared tensors, one measurement per batch size the model takes and
     * per way of running it ({@link BenchOptions#engineConfigurations}).
     */
    List<Measurement> engine() {
        List<Measurement> out = new ArrayList<>();
        List<Integer> sizes = options.batchSizeList(); // a bad list fails before the model loads
        List<ImageInput> inputs = null;
        for (int[] config : options.engineConfigurations(cores)) {
            int threads = config[0];
            int callers = config[1];
            EngineOptions engine = EngineOptions.cpu().withIntraOpThreads(threads);
            ImageDecoder decoder = ImageDecoders.standard(DecoderOptions.DEFAULTS);
            try (LoadedModel model = loader(decoder, engine).load(options.model)) {
                int fixed = fixedBatch(model);
                EngineBenchmark bench = new EngineBenchmark(3, options.rounds, ROUND_MILLIS);
                List<Integer> run = fixed > 0 ? List.of(fixed) : sizes;
                if (inputs == null) { // a tensor of N images takes the first N (again from the first when fewer)
                    inputs = decodable(decoder, model, run.stream().mapToInt(Integer::intValue).max().orElseThrow());
                }
                if (fixed > 0 && !sizes.contains(fixed)) {
                    LOG.info("model {} has a fixed batch of {}: run at that size only", model.id(), fixed);
                }
                for (int size : run) {
                    EngineBenchmark.Result r = bench.run(model, inputs, size, callers);
                    Measurement m = Measurement.of("engine", model.id(), size,
                            threads > 0 ? threads : options.reportedThreads(), r.bestImagesPerSecond())
                            .put("callers", callers)
                            .put("mean_images_per_second", r.meanImagesPerSecond())
                            .put("ms_per_batch", r.bestMsPerBatch())
                            .put("rounds", r.rounds())
                            .put("runs", r.runs())
                            .put("provider", model.provider().id());
                    if (fixed > 0) {
                        m.put("note", "fixed batch of " + fixed);
                    }
                    out.add(m);
                }
            }
        }
        return out;
    }

    /**
     * Up to {@code most} of the images, those that decode: a file that does not (a broken one among the
     * images) is left out with a warning, so that the engine and {@code overlap} time the same images
     * and a broken one does not stop them.
     */
    private List<ImageInput> decodable(ImageDecoder decoder, LoadedModel model, int most) {
        List<byte[]> encoded = encoded();
        List<ImageInput> out = new ArrayList<>();
        for (int i = 0; i < encoded.size() && out.size() < most; i++) {
            try {
                decoder.decode(encoded.get(i), model.decodeHint());
                out.add(ImageInput.encoded(encoded.get(i)));
            } catch (StreamsightException e) {
                LOG.warn("leaving out {}, which does not decode ({})", images.get(i), e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--images: none of the " + encoded.size() + " images decodes");
        }
        return out;
    }

    /** The image input's fixed batch dimension; 0 when it is dynamic. */
    private static int fixedBatch(LoadedModel model) {
        String name = model.descriptor().inputName();
        for (var input : model.signature().inputs()) {
            if ((name == null ? input.shape().length == 4 : input.name().equals(name)) && input.shape().length > 0) {
                return input.shape()[0] > 0 ? (int) input.shape()[0] : 0;
            }
        }
        return 0;
    }

    /**
     * The fast path's decode + preprocess throughput on one core (P1) and on all cores at once, each
     * thread on its own share of the images.
     */
    List<Measurement> preprocessParallel(int threads) {
        List<byte[]> encoded = encoded();
        ImageDecoder fast = ImageDecoders.standard(DecoderOptions.DEFAULTS);
        try (LoadedModel model = loader(fast, EngineOptions.cpu()).load(options.model)) {
            var spec = model.descriptor().preprocess();
            String name = ImageDecoders.fastJpegAvailable() ? "fast (libjpeg-turbo, region decoding)"
                    : "fallback (javax.imageio; the fast path is unavailable)";
            int warmup = 2;
            int rounds = Math.max(options.rounds, 3) * 3;
            PreprocessBenchmark.Result one = PreprocessBenchmark.parallel(name, () -> Preprocessors.create(spec),
                    model.decodeHint(), fast, encoded, 1, warmup, rounds);
            PreprocessBenchmark.Result all = PreprocessBenchmark.parallel(name, () -> Preprocessors.create(spec),
                    model.decodeHint(), fast, encoded, threads, warmup, rounds);
            return List.of(
                    Measurement.of("preprocess", model.id(), 1, 1, one.bestImagesPerSecond())
                            .put("decoder", name).put("images", encoded.size())
                            .put("mean_images_per_second", one.meanImagesPerSecond())
                            .put("ms_per_image", 1000 / one.bestImagesPerSecond()).put("failures", one.failures()),
                    Measurement.of("preprocess", model.id(), 1, threads, all.bestImagesPerSecond())
                            .put("decoder", name).put("images", encoded.size())
                            .put("mean_images_per_second", all.meanImagesPerSecond())
                            .put("scaling", all.bestImagesPerSecond() / one.bestImagesPerSecond())
                            .put("failures", all.failures()));
        }
    }

    /** The limit from this run's engine and one-core preprocess figures (see {@link MachineLimit}). */
    Measurement limit(List<Measurement> engine, List<Measurement> preprocess) {
        Measurement best = engine.stream().max(Comparator.comparingDouble(Measurement::imagesPerSecond)).orElseThrow();
        Measurement oneCore = preprocess.stream().filter(m -> Integer.valueOf(1).equals(m.get("threads")))
                .findFirst().orElseThrow();
        double allCores = preprocess.stream().filter(m -> Integer.valueOf(cores).equals(m.get("threads")) && cores > 1)
                .mapToDouble(Measurement::imagesPerSecond).findFirst().orElse(Double.NaN);
        MachineLimit limit = new MachineLimit(best.imagesPerSecond(), oneCore.imagesPerSecond(), cores, allCores);
        Measurement m = Measurement.of("limit", best.model(), (Integer) best.get("batch_size"),
                (Integer) best.get("threads"), limit.imagesPerSecond())
                .put("engine_images_per_second", limit.engineImagesPerSecond())
                .put("preprocess_one_core_images_per_second", limit.preprocessOneCoreImagesPerSecond())
                .put("preprocess_all_cores_images_per_second", Double.isNaN(allCores) ? null : allCores)
                .put("decode_images_per_second", limit.decodeImagesPerSecond())
                .put("cores", cores)
                .put("engine_callers", best.get("callers"))
                .put("inference_share", limit.inferenceShare())
                .put("formula", limit.formula());
        if (options.threads > 0 && options.threads < cores) {
            m.put("note", "the engine figure uses " + options.threads + " of " + cores + " cores");
        }
        return m;
    }

    /**
     * Decoding and inference together on every core, without Kafka ({@link OverlapBenchmark}): one
     * worker per core, groups of the images that decode as {@code classify} takes them, the model
     * loaded as the pipeline loads it: its engine batch timed at load, unless {@code fixedBatch} (the
     * standalone mode's {@code --batch-size}) fixes it.
     *
     * @param fixedBatch whether {@code --batch-size} is the engine batch (in {@code limit} and {@code
     *     all} it is the engine's sweep and the pipeline's {@code batch.size}, so it is not)
     */
    Measurement overlap(double warmupSeconds, boolean fixedBatch) {
        List<Integer> sizes = fixedBatch && options.batchSizes != null ? options.batchSizeList() : List.of();
        if (sizes.size() > 1) {
            throw new IllegalArgumentException("--batch-size: overlap takes one engine batch size, got " + sizes);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new IllegalArgumentException("--warmup-seconds must be between 0 and 600, got " + warmupSeconds);
        }
        EngineOptions engine = sizes.isEmpty() ? EngineOptions.cpu().withTunedBatch(EngineOptions.DEFAULT_MAX_BATCH)
                : EngineOptions.cpu().withMaxBatchSize(sizes.getFirst());
        ImageDecoder decoder = ImageDecoders.standard(DecoderOptions.DEFAULTS);
        try (LoadedModel model = loader(decoder, engine.withIntraOpThreads(options.threads)).load(options.model)) {
            List<ImageInput> inputs = decodable(decoder, model, Integer.MAX_VALUE);
            int group = ImageBatches.groupSize(model.batchCapacity());
            Function<List<ImageInput>, List<? extends Prediction<?>>> run = model.task() == Task.CLASSIFICATION
                    ? batch -> model.classify(batch, 5)
                    : batch -> model.detect(batch, DetectionOptions.DEFAULT);
            OverlapBenchmark.Result r = new OverlapBenchmark(Math.round(warmupSeconds * 1000), options.rounds,
                    OVERLAP_ROUND_MILLIS).run(run, inputs, cores, group);
            if (r.failures() == r.timedImages()) {
                throw new IllegalStateException("overlap: every image failed in " + model.id() + ", so there is no"
                        + " throughput to report (the first: " + r.firstFailure() + ")");
            }
            return Measurement.of("overlap", model.id(), model.batchCapacity(), options.reportedThreads(),
                    r.bestImagesPerSecond())
                    .put("workers", r.workers())
                    .put("group", r.group())
                    .put("mean_images_per_second", r.meanImagesPerSecond())
                    .put("rounds", r.rounds())
                    .put("images", inputs.size())
                    .put("left_out", images.size() - inputs.size())
                    .put("timed_images", r.timedImages())
                    .put("failures", r.failures())
                    .put("warmup_s", warmupSeconds)
                    .put("provider", model.provider().id());
        }
    }

    /** A run through Kafka of the pipeline ({@code baseline} false) or the naive baseline. */
    Measurement stream(BenchOptions.Stream load, boolean baseline, double rate, int events, BenchCluster shared)
            throws Exception {
        String mode = baseline ? "baseline" : "pipeline";
        String modelId = modelId(options.model);
        String tag = mode + (rate > 0 ? "-rate" : "") + "-" + runId;
        String input = "bench-" + tag;
        Path roots = commonRoot(images);
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(StreamsightConfig.APPLICATION_ID, "streamsight-bench-" + tag);
        defaults.put(StreamsightConfig.INPUT_TOPICS, input);
        defaults.put(StreamsightConfig.MODELS, modelId);
        defaults.put(StreamsightConfig.FETCH_FILE_ROOTS, roots.toString());
        defaults.put(StreamsightConfig.HTTP_PORT, "0");
        defaults.put(StreamsightConfig.PROCESSING_GUARANTEE, "exactly_once_v2");
        defaults.put(StreamsightConfig.SHUTDOWN_TIMEOUT, "10s");
        StreamsightConfig.Builder builder = StreamsightConfig.builder().commandDefaults(defaults, "bench default");
        load.connection.fill(builder);
        if (!baseline && options.batchSizes != null) {
            List<Integer> sizes = options.batchSizeList();
            if (sizes.size() > 1) {
                throw new IllegalArgumentException("--batch-size: the pipeline takes one batch size, got " + sizes);
            }
            builder.flag(StreamsightConfig.BATCH_SIZE, String.valueOf(sizes.getFirst()), "--batch-size");
        }
        if (options.threads > 0) {
            builder.flag(StreamsightConfig.ENGINE_THREADS, String.valueOf(options.threads), "--threads");
        }
        StreamsightConfig config = builder.build();
        Duration timeout = Durations.parse("--timeout", load.timeout);
        Path stateDir = scratchDir(config.stateRoot());
        BenchCluster cluster = shared;
        try {
            if (cluster == null) {
                cluster = openCluster(config, load);
            }
            config = config.with(Map.of(StreamsightConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                    StreamsightConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl(), "state.dir", stateDir.toString()),
                    "bench");
            String results = config.pipelineSettings().resultTopic(input, modelId);
            String deadLetters = config.pipelineSettings().deadLetterTopic(input);
            // Real paths, as the file roots are (commonRoot): a path through a symlink is not under them as written.
            List<String> uris = images.stream().map(BenchModes::realUri).toList();
            StreamBenchmark bench = new StreamBenchmark(config.clientProperties(), uris);
            bench.createTopics(load.partitions, List.of(input, results, deadLetters));
            StreamsightConfig started = config;
            Duration warmup = Duration.ofMillis(Math.round(load.warmupSeconds * 1000));
            StreamBenchmark.Outcome o = bench.run(input, results, deadLetters, runId + "-", new StreamBenchmark.Load(
                    events, load.partitions, rate, timeout, warmup), () -> baseline
                    ? BaselineApp.start(started, modelId, input, results)
                    : pipeline(started));
            int batch = baseline ? 1 : config.batchSize();
            Measurement m = Measurement.of(mode, modelId, batch, options.reportedThreads(), o.imagesPerSecond())
                    .streaming(o.results(), o.latencyMs(), o.peakRssBytes() < 0 ? Double.NaN
                            : o.peakRssBytes() / (1024.0 * 1024.0))
                    .put("steady_images_per_second", o.steadyImagesPerSecond())
                    .put("stream_threads", o.streamThreads())
                    .put("load", rate > 0 ? "rate" : "backlog")
                    .put("rate", rate > 0 ? rate : null)
                    .put("published", o.published())
                    .put("dead_letters", o.deadLetters())
                    .put("missing", o.published() - o.results() - o.deadLetters())
                    .put("partitions", load.partitions)
                    .put("batch_sizes_seen", stringKeys(o.batchSizes()))
                    .put("mean_batch_size", o.meanBatchSize())
                    .put("mean_stage_ms", stageMeans(o.stageMeans()))
                    .put("processing_guarantee", config.processingGuarantee())
                    .put("broker", cluster.brokerDescription())
                    .put("rss_includes", rssIncludes(cluster, rate > 0, o.rssSinceStart()))
                    .put("rss_curve", o.rssCurve().stream().map(r -> List.of(r.results(), round(r.seconds(), 1),
                            round(r.rssMb(), 1))).toList())
                    .put("seconds", o.runSeconds());
            if (rate > 0) {
                m.put("warmup_s", load.warmupSeconds)
                        .put("steady_events", o.steadyLatencyMs().count())
                        .put("steady_p50_ms", o.steadyLatencyMs().percentile(50))
                        .put("steady_p95_ms", o.steadyLatencyMs().percentile(95))
                        .put("steady_p99_ms", o.steadyLatencyMs().percentile(99))
                        .put("steady_beyond_wait_p50_ms", o.steadyBeyondWaitMs().percentile(50))
                        .put("steady_beyond_wait_p95_ms", o.steadyBeyondWaitMs().percentile(95))
                        .put("steady_beyond_wait_p99_ms", o.steadyBeyondWaitMs().percentile(99));
            }
            if (!o.complete()) {
                LOG.warn("{}: {} of {} events had no result after {}", mode, o.published() - o.results()
                        - o.deadLetters(), o.published(), Durations.format(timeout));
            }
            return m;
        } finally {
            if (shared == null && cluster != null) {
                cluster.close();
            }
            deleteTree(stateDir);
        }
    }

    /** The results' mean timings by stage, rounded to microseconds. */
    private static Map<String, Double> stageMeans(StreamBenchmark.StageMeans s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("queue_wait", round(s.queueWaitMs(), 3));
        m.put("fetch", round(s.fetchMs(), 3));
        m.put("decode", round(s.decodeMs(), 3));
        m.put("inference_per_image", round(s.inferencePerImageMs(), 3));
        return m;
    }

    /** Opens the cluster the runs use: the configured one, or a broker (and registry) started for them. */
    BenchCluster openCluster(StreamsightConfig config, BenchOptions.Stream load) {
        BenchCluster.BrokerMode mode = load.brokerMode();
        if (config.bootstrapServers().isEmpty() && mode == BenchCluster.BrokerMode.IN_PROCESS) {
            // The in-process broker's shutdown logs a spurious NetworkClient error (Kafka 4.4, its controller channel).
            LogFormat.errorsOnly("org.apache.kafka.clients.NetworkClient");
        }
        return BenchCluster.open(config.bootstrapServers(), config.schemaRegistryUrl(), mode);
    }

    /** The configuration that {@link #openCluster} reads: file, environment, {@code -p} and flags. */
    static StreamsightConfig connectionConfig(BenchOptions.Stream load) {
        return load.connection.fill(StreamsightConfig.builder()).build();
    }

    private static StreamBenchmark.Running pipeline(StreamsightConfig config) {
        PipelineRunner runner = PipelineRunner.start(config);
        return new StreamBenchmark.Running() {
            @Override
            public boolean awaitRunning(Duration timeout) throws InterruptedException {
                return runner.awaitRunning(timeout);
            }

            @Override
            public int streamThreads() {
                return runner.streamThreads();
            }

            @Override
            public void close() {
                runner.close();
            }
        };
    }

    private static String rssIncludes(BenchCluster cluster, boolean producer, boolean sinceStart) {
        List<String> parts = new ArrayList<>(List.of("application", "result consumer"));
        if (producer) {
            parts.add("event producer");
        }
        if (cluster.registryInThisProcess()) {
            parts.add("schema registry");
        }
        if (cluster.brokerInThisProcess()) {
            parts.add("broker");
        }
        String s = String.join(", ", parts);
        return sinceStart ? s + "; peak since the process started (it could not be reset)" : s;
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static Map<String, Integer> stringKeys(Map<Integer, Integer> m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** The catalog id of {@code model} (the results topic is named after it). */
    private static String modelId(String model) {
        ModelSource source = ModelLocator.fromEnvironment().locate(model, null);
        return source.descriptor() != null ? source.descriptor().id() : model;
    }

    /** The deepest directory holding every image (the pipeline reads nothing outside it). */
    private static String realUri(Path p) {
        try {
            return p.toRealPath().toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + p, e);
        }
    }

    static Path commonRoot(List<Path> images) {
        Path root = null;
        for (Path p : images) {
            Path dir;
            try {
                dir = p.toAbsolutePath().normalize().getParent().toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve " + p, e);
            }
            if (root == null) {
                root = dir;
            }
            while (!dir.startsWith(root)) {
                root = root.getParent();
            }
        }
        return root;
    }

    private static Path scratchDir(Path root) throws IOException {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "bench-");
        } catch (IOException e) {
            return Files.createTempDirectory("streamsight-bench-");
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    static Set<String> parseWith(String with) {
        Set<String> out = new LinkedHashSet<>();
        if (with == null || with.isBlank()) {
            return out;
        }
        for (String s : with.split(",")) {
            String mode = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (!mode.equals("pipeline") && !mode.equals("baseline")) {
                throw new IllegalArgumentException("--with takes pipeline and baseline, got " + s);
            }
            out.add(mode);
        }
        return out;
    }
}

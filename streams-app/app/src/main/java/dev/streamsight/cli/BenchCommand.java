package dev.streamsight.cli;

import dev.streamsight.bench.PreprocessBenchmark;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.inference.Prediction;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.bench.BenchCluster;
import dev.streamsight.bench.Measurement;
import dev.streamsight.config.StreamsightConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code streamsight bench MODE}: throughput and latency benchmarks: ONNX Runtime alone
 * ({@code engine}), decoding ({@code preprocess}), both at once without Kafka ({@code overlap}), the
 * machine's limit from the first two ({@code limit}), the
 * pipeline end to end through Kafka ({@code pipeline}) and a naive per-record design in the same
 * harness ({@code baseline}); {@code all} runs them in one process and prints the ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks. Each mode prints a table, or with --json one JSON object per measurement with"
                + " mode, model, batch_size, threads, images_per_second (and for pipeline and baseline events,"
                + " p50_ms, p95_ms, p99_ms, rss_mb)."},
        subcommands = {BenchCommand.Engine.class, BenchCommand.Preprocess.class, BenchCommand.Overlap.class,
                BenchCommand.Limit.class,
                BenchCommand.Pipeline.class, BenchCommand.Baseline.class, BenchCommand.All.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "preprocess", mixinStandardHelpOptions = true,
            description = {"Decode + preprocess throughput (one thread) of the fast JPEG path",
                    "(libjpeg-turbo: reduced DCT scale, only the region the model reads) against the",
                    "pure-Java fallback, for a model's input, in alternating rounds; and the per-image",
                    "top-1 agreement of the two paths through that model."})
    static final class Preprocess implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "mobilenetv2-12-int8", paramLabel = "ID|PATH",
                description = "Model whose preprocessing is measured (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--rounds", defaultValue = "31", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup", defaultValue = "5", description = "Warm-up rounds (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--json", description = "One JSON object on stdout.")
        boolean json;

        @Mixin
        EngineOptionsMixin engine;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--images", paramLabel = "DIR", description = "Images (a directory or a file), when no IMAGE"
                + " is given; default: as for the other bench modes (the imagenet-sample directory).")
        String imagesDir;

        @Option(names = "--decode-threads", defaultValue = "0", paramLabel = "N",
                description = "Threads of the parallel measurement (default 0: one per core).")
        int decodeThreads;

        @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Images (files or directories).")
        List<String> images;

        @Override
        public Integer call() {
            ImageDecoders.fastJpegUnavailableReason().ifPresent(why -> {
                throw new IllegalArgumentException("the fast JPEG path is unavailable: " + why);
            });
            ImageFetcher fetcher = new ImageFetcher(engine.fetchOptions());
            List<String> refs;
            if (images != null && !images.isEmpty()) {
                refs = ImageArguments.expand(images);
            } else {
                BenchOptions defaults = new BenchOptions();
                defaults.images = imagesDir;
                refs = defaults.imageFiles(List.of()).stream().map(java.nio.file.Path::toString).toList();
            }
            int threads = decodeThreads > 0 ? decodeThreads : Runtime.getRuntime().availableProcessors();
            List<byte[]> encoded = new ArrayList<>();
            for (String r : refs) {
                encoded.add(fetcher.fetch(r));
            }
            DecoderOptions decoderOptions = new DecoderOptions(engine.maxPixels);
            ImageDecoder fast = ImageDecoders.standard(decoderOptions);
            ImageDecoder fallback = ImageDecoders.fallback(decoderOptions);
            ModelLocator locator = ModelLocator.fromEnvironment();
            LabelResolver labels = LabelResolver.fromEnvironment();
            Map<String, Object> report = new LinkedHashMap<>();
            Measurement parallel;
            List<PreprocessBenchmark.Result> singles;
            // Decoding and preprocessing only: no engine batch to time at load.
            EngineOptions options = engine.engineOptions().withMaxBatchSize(engine.engineOptions().maxBatchSize());
            try (LoadedModel fastModel = new ModelLoader(locator, labels, fast, options).load(model, engine.descriptor);
                 LoadedModel slowModel = new ModelLoader(locator, labels, fallback, options).load(model, engine.descriptor)) {
                var spec = fastModel.descriptor().preprocess();
                DecodeHint hint = fastModel.decodeHint();
                PreprocessBenchmark bench = new PreprocessBenchmark(Preprocessors.create(spec), hint);
                PreprocessBenchmark.Comparison comparison = bench.compare("fast (libjpeg-turbo, region decoding)", fast,
                        "fallback (javax.imageio)", fallback, encoded, warmup, rounds);
                PreprocessBenchmark.Result slow = comparison.baseline();
                PreprocessBenchmark.Result quick = comparison.candidate();
                List<ImageInput> inputs = encoded.stream().map(ImageInput::encoded).toList();
                List<Prediction<Classification>> a = fastModel.classify(inputs, 1);
                List<Prediction<Classification>> b = slowModel.classify(inputs, 1);
                int agree = 0;
                int compared = 0;
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).ok() && b.get(i).ok()) {
                        compared++;
                        if (a.get(i).value().top().get(0).index() == b.get(i).value().top().get(0).index()) {
                            agree++;
                        }
                    }
                }
                PreprocessBenchmark.Result all = PreprocessBenchmark.parallel(quick.decoder(),
                        () -> Preprocessors.create(spec), hint, fast, encoded, threads, 2, Math.max(rounds, 3));
                parallel = Measurement.of("preprocess", fastModel.id(), 1, threads, all.bestImagesPerSecond())
                        .put("decoder", all.decoder()).put("images", encoded.size())
                        .put("mean_images_per_second", all.meanImagesPerSecond())
                        .put("scaling", all.bestImagesPerSecond() / quick.bestImagesPerSecond())
                        .put("failures", all.failures());
                singles = List.of(quick, slow);
                report.put("mode", "preprocess");
                report.put("model", fastModel.id());
                report.put("batch_size", 1);
                report.put("threads", 1);
                report.put("images_per_second", round(quick.bestImagesPerSecond()));
                report.put("benchmark", "preprocess");
                report.put("target", spec.width() + "x" + spec.height());
                report.put("resize_target", spec.resizeTarget());
                report.put("min_decode_short_side", hint.minShortSide());
                report.put("images", encoded.size());
                report.put("fast", rates(quick));
                report.put("fallback", rates(slow));
                report.put("speedup", round(comparison.speedup()));
                report.put("median_round_speedup", round(comparison.medianRoundSpeedup()));
                report.put("top1_agreement", agree);
                report.put("top1_compared", compared);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonLines lines = new JsonLines(out);
                lines.write(report);
                lines.write(parallel.fields());
            } else {
                out.printf(Locale.ROOT, "decode + preprocess of %d images to %s (%s), best of %d rounds%n",
                        encoded.size(), report.get("target"), report.get("model"), rounds);
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("PATH", "THREADS", "IMAGES/S", "MS/IMAGE", "FAILURES"));
                for (PreprocessBenchmark.Result r : singles) {
                    rows.add(List.of(r.decoder(), "1", fmt(r.bestImagesPerSecond()),
                            fmt(1000 / r.bestImagesPerSecond()), String.valueOf(r.failures())));
                }
                rows.add(List.of(singles.getFirst().decoder(), String.valueOf(threads), fmt(parallel.imagesPerSecond()),
                        "", String.valueOf(parallel.get("failures"))));
                printRows(out, rows);
                out.printf(Locale.ROOT, "speedup %.2fx (median of rounds %.2fx); %d threads: %.2fx one thread;"
                        + " top-1 agreement %s/%s%n", report.get("speedup"), report.get("median_round_speedup"),
                        threads, parallel.get("scaling"), report.get("top1_agreement"), report.get("top1_compared"));
                out.flush();
            }
            return 0;
        }

        private static Map<String, Object> rates(PreprocessBenchmark.Result r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decoder", r.decoder());
            m.put("images_per_s", round(r.bestImagesPerSecond()));
            m.put("mean_images_per_s", round(r.meanImagesPerSecond()));
            m.put("ms_per_image", round(1000.0 / r.bestImagesPerSecond()));
            m.put("rounds", r.rounds());
            m.put("failures", r.failures());
            return m;
        }

        private static double round(double v) {
            return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
        }
    }


    /** ONNX Runtime alone on prepared tensors, sweeping batch sizes. */
    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"ONNX Runtime alone: the images are decoded and preprocessed once into a batch tensor,"
                    + " then the session runs on it in timed rounds, for each batch size (a model with a fixed"
                    + " batch is measured at that batch only). --threads sets the intra-op threads (default: ONNX"
                    + " Runtime's choice, all cores)."})
    static final class Engine implements Callable<Integer> {
        @Mixin
        BenchOptions options;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BenchModes modes = new BenchModes(options, options.imageFiles(List.of()));
            print(spec, options.json, modes.engine(), List.of());
            return 0;
        }
    }

    /** The warm-up of {@code overlap}, also its fixed warm-up within {@code limit} and {@code all}. */
    static final String OVERLAP_WARMUP_SECONDS = "3";

    /** Decoding and inference together on every core, without Kafka. */
    @Command(name = "overlap", mixinStandardHelpOptions = true,
            description = {"Decoding and inference together, without Kafka: one worker per core hands the model groups"
                    + " of images (in memory) to decode, preprocess and run in engine batches, as classify's workers"
                    + " and the pipeline's stream threads do; after the warm-up, timed rounds of about 1 s. What the"
                    + " two stages reach sharing the cores, against the limit, which assumes each runs beside the"
                    + " other as fast as alone. --batch-size N fixes the engine batch (default: timed at load, as the"
                    + " pipeline's batch.max.engine=auto)."})
    static final class Overlap implements Callable<Integer> {
        @Mixin
        BenchOptions options;

        @Option(names = "--warmup-seconds", defaultValue = OVERLAP_WARMUP_SECONDS, paramLabel = "S",
                description = "Untimed work first, while the JIT compiles the decode path (default: ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BenchModes modes = new BenchModes(options, options.imageFiles(List.of()));
            print(spec, options.json, List.of(modes.overlap(warmupSeconds, true)), List.of());
            return 0;
        }
    }

    /** Runs through Kafka: the pipeline, or the baseline. */
    abstract static class StreamMode implements Callable<Integer> {
        @Mixin
        BenchOptions options;

        @Mixin
        BenchOptions.Stream load;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract boolean baseline();

        @Override
        public Integer call() throws Exception {
            load.validate();
            BenchModes modes = new BenchModes(options, options.imageFiles(List.of()));
            Measurement m = modes.stream(load, baseline(), load.rate, load.events, null);
            print(spec, options.json, List.of(m), List.of(streamNote(m)));
            return complete(m) ? 0 : 1;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"The pipeline end to end through Kafka: a fresh input topic, N events (file:// URIs"
                    + " cycling through the images), the pipeline started in this process (PipelineRunner, a unique"
                    + " application id, exactly_once_v2, fetch.file.roots = the images' directory, other settings"
                    + " as configured or default; -p passes any key), results read with a read_committed consumer.",
                    "Without --rate the events are published first (a backlog): images/s is the results over the"
                            + " time from the first result to the last. With --rate R they are published at R/s to"
                            + " the running pipeline: latency at that load.",
                    "Latency: a result's arrival minus its event's timestamp. rss_mb: this process's peak RSS"
                            + " during the run; the broker runs in a child JVM unless --broker in-process or"
                            + " --bootstrap-server."})
    static final class Pipeline extends StreamMode {
        @Override
        boolean baseline() {
            return false;
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = {"The naive per-record design in the same harness as 'pipeline': a Kafka Streams"
                    + " application whose value mapper fetches the image, decodes it with javax.imageio, resizes and"
                    + " normalises it, runs the model on a batch of one and produces the same result record."})
    static final class Baseline extends StreamMode {
        @Override
        boolean baseline() {
            return true;
        }
    }

    /** The machine's limit from this run's engine and preprocess figures, optionally with the streaming runs. */
    @Command(name = "limit", mixinStandardHelpOptions = true,
            description = {"The machine's limit for the model from this run's engine and preprocess figures: with E the"
                    + " best engine images/s (all cores), P1 the fast path's decode + preprocess images/s on one core,"
                    + " PC on all C cores at once, both stages time-sharing all cores:"
                    + " limit = 1 / (1/E + 1/max(P1*C, PC)).",
                    "It also runs 'bench overlap' (its engine batch timed at load, a 3 s warm-up) and prints"
                            + " overlap/limit, unless --no-overlap.",
                    "--with pipeline,baseline also runs those (as 'bench all') and prints pipeline/limit,"
                            + " pipeline/baseline and pipeline/overlap."})
    static class Limit implements Callable<Integer> {
        @Mixin
        BenchOptions options;

        @Mixin
        BenchOptions.Stream load;

        @Option(names = "--with", paramLabel = "pipeline,baseline", description = "Also run these modes.")
        String with;

        @Option(names = "--half-load", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "With pipeline: also run it at half its measured throughput, for the latency at that"
                        + " load (at most --events events, and about 30 s of them; default: on).")
        boolean halfLoad;

        @Option(names = "--overlap", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also run 'bench overlap' and print overlap/limit (and with pipeline, pipeline/overlap:"
                        + " what the Kafka side costs; default: on).")
        boolean overlap;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        Set<String> modes() {
            return BenchModes.parseWith(with);
        }

        @Override
        public Integer call() throws Exception {
            Set<String> streaming = modes();
            if (!streaming.isEmpty()) {
                load.validate();
            }
            BenchModes modes = new BenchModes(options, options.imageFiles(List.of()));
            List<Measurement> all = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            List<Measurement> engine = modes.engine();
            all.addAll(engine);
            List<Measurement> preprocess = modes.preprocessParallel(modes.cores());
            all.addAll(preprocess);
            Measurement limit = modes.limit(engine, preprocess);
            all.add(limit);
            notes.add((String) limit.get("formula"));
            Measurement overlap = null;
            if (this.overlap) {
                overlap = modes.overlap(Double.parseDouble(OVERLAP_WARMUP_SECONDS), false);
                all.add(overlap);
                limit.put("overlap_over_limit", overlap.imagesPerSecond() / limit.imagesPerSecond());
                notes.add(String.format(Locale.ROOT, "overlap/limit %.2f: decoding and inference at once on every"
                        + " core, without Kafka, against the limit's stages each as fast as alone",
                        limit.get("overlap_over_limit")));
            }
            boolean complete = true;
            if (!streaming.isEmpty()) {
                StreamsightConfig connection = BenchModes.connectionConfig(load);
                try (BenchCluster cluster = modes.openCluster(connection, load)) {
                    Measurement pipeline = null;
                    Measurement baseline = null;
                    if (streaming.contains("pipeline")) {
                        pipeline = modes.stream(load, false, load.rate, load.events, cluster);
                        all.add(pipeline);
                        complete &= complete(pipeline);
                        notes.add(streamNote(pipeline));
                        double max = pipeline.imagesPerSecond();
                        if (halfLoad && load.rate == 0 && max > 0) {
                            double half = max / 2;
                            int events = (int) Math.max(20, Math.min(load.events, Math.ceil(half * 30)));
                            Measurement atHalf = modes.stream(load, false, half, events, cluster);
                            atHalf.put("load", "half of the backlog throughput");
                            all.add(atHalf);
                            complete &= complete(atHalf);
                        }
                    }
                    if (streaming.contains("baseline")) {
                        baseline = modes.stream(load, true, load.rate, load.events, cluster);
                        all.add(baseline);
                        complete &= complete(baseline);
                    }
                    if (pipeline != null) {
                        // Steady-state figures: the engine and preprocess figures are after warm-up too.
                        double p = steady(pipeline);
                        Measurement ratios = Measurement.of("ratios", pipeline.model(),
                                (Integer) pipeline.get("batch_size"), (Integer) pipeline.get("threads"), p)
                                .put("pipeline_over_limit", p / limit.imagesPerSecond())
                                .put("limit_images_per_second", limit.imagesPerSecond())
                                .put("whole_run_pipeline_over_limit", pipeline.imagesPerSecond()
                                        / limit.imagesPerSecond());
                        if (overlap != null) {
                            ratios.put("pipeline_over_overlap", p / overlap.imagesPerSecond());
                        }
                        if (baseline != null) {
                            ratios.put("pipeline_over_baseline", p / steady(baseline))
                                    .put("baseline_images_per_second", steady(baseline))
                                    .put("whole_run_pipeline_over_baseline", pipeline.imagesPerSecond()
                                            / baseline.imagesPerSecond());
                        }
                        all.add(ratios);
                        notes.add(String.format(Locale.ROOT, "steady state: pipeline/limit %.2f",
                                ratios.get("pipeline_over_limit"))
                                + (baseline != null ? String.format(Locale.ROOT, ", pipeline/baseline %.2f",
                                        ratios.get("pipeline_over_baseline")) : "")
                                + (overlap != null ? String.format(Locale.ROOT, ", pipeline/overlap %.2f",
                                        ratios.get("pipeline_over_overlap")) : "")
                                + " (after the first quarter of each run's results; whole runs: "
                                + String.format(Locale.ROOT, "%.2f", ratios.get("whole_run_pipeline_over_limit"))
                                + (baseline != null ? String.format(Locale.ROOT, ", %.2f",
                                        ratios.get("whole_run_pipeline_over_baseline")) : "") + ")");
                    }
                }
            }
            print(spec, options.json, all, notes);
            return complete ? 0 : 1;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = {"engine, preprocess, limit, overlap, pipeline (a backlog, then at half its throughput) and"
                    + " baseline in one process, one broker; prints overlap/limit, pipeline/limit, pipeline/baseline"
                    + " and pipeline/overlap ('limit --with pipeline,baseline')."})
    static final class All extends Limit {
        @Override
        Set<String> modes() {
            return with == null ? Set.of("pipeline", "baseline") : BenchModes.parseWith(with);
        }
    }

    /** A streaming run's steady-state images/s (after its first quarter of results), else its whole run's. */
    private static double steady(Measurement m) {
        return m.get("steady_images_per_second") instanceof Double d && !d.isNaN() ? d : m.imagesPerSecond();
    }

    private static boolean complete(Measurement m) {
        return Integer.valueOf(0).equals(m.get("missing"));
    }

    private static String streamNote(Measurement m) {
        return m.mode() + ": broker " + m.get("broker") + "; rss_mb covers " + m.get("rss_includes")
                + (Integer.valueOf(0).equals(m.get("missing")) ? "" : "; " + m.get("missing") + " events had no result");
    }

    /** Prints the measurements as JSON lines, or as a table followed by the notes. */
    static void print(picocli.CommandLine.Model.CommandSpec spec, boolean json, List<Measurement> measurements,
            List<String> notes) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonLines lines = new JsonLines(out);
            measurements.forEach(m -> lines.write(m.fields()));
            notes.forEach(n -> spec.commandLine().getErr().println("streamsight bench: " + n));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MODE", "MODEL", "BATCH", "THREADS", "IMAGES/S", "EVENTS", "P50 MS", "P95 MS", "P99 MS",
                "RSS MB", "DETAIL"));
        for (Measurement m : measurements) {
            rows.add(List.of(m.mode(), m.model(), str(m.get("batch_size")), str(m.get("threads")),
                    fmt(m.imagesPerSecond()), str(m.get("events")), str(m.get("p50_ms")), str(m.get("p95_ms")),
                    str(m.get("p99_ms")), str(m.get("rss_mb")), detail(m)));
        }
        printRows(out, rows);
        notes.forEach(out::println);
        out.flush();
    }

    private static String detail(Measurement m) {
        return switch (m.mode()) {
            case "engine" -> "ms/batch " + str(m.get("ms_per_batch")) + ", " + m.get("provider")
                    + (Integer.valueOf(1).equals(m.get("callers")) ? "" : ", " + m.get("callers") + " callers");
            case "preprocess" -> m.get("decoder") + (m.get("scaling") != null ? ", x" + m.get("scaling") : "");
            case "overlap" -> m.get("workers") + " workers, groups of " + m.get("group") + ", mean "
                    + m.get("mean_images_per_second") + "/s, " + m.get("failures") + " failed, "
                    + (Integer.valueOf(0).equals(m.get("left_out")) ? "" : m.get("left_out") + " left out, ")
                    + m.get("provider");
            case "limit" -> "E " + m.get("engine_images_per_second")
                    + ", P1 " + m.get("preprocess_one_core_images_per_second") + ", C " + m.get("cores")
                    + optional(", PC ", m.get("preprocess_all_cores_images_per_second"))
                    + optional("; overlap/limit ", m.get("overlap_over_limit"));
            case "pipeline", "baseline" -> m.get("load") + (m.get("rate") != null ? " " + m.get("rate") + "/s" : "")
                    + ", " + m.get("stream_threads") + " stream thread(s)"
                    + (m.get("rate") == null ? ", steady " + m.get("steady_images_per_second") + "/s" : "")
                    + (m.get("steady_p99_ms") != null ? ", after " + m.get("warmup_s") + " s: p50/p95/p99 "
                            + m.get("steady_p50_ms") + "/" + m.get("steady_p95_ms") + "/" + m.get("steady_p99_ms")
                            + " (beyond the batch wait " + m.get("steady_beyond_wait_p50_ms") + "/"
                            + m.get("steady_beyond_wait_p95_ms") + "/" + m.get("steady_beyond_wait_p99_ms") + ")" : "")
                    + ", batches " + m.get("batch_sizes_seen") + stages(m.get("mean_stage_ms"))
                    + (Integer.valueOf(0).equals(m.get("missing")) ? ""
                            : ", MISSING " + m.get("missing"));
            case "ratios" -> "steady: pipeline/limit " + m.get("pipeline_over_limit")
                    + optional(", pipeline/baseline ", m.get("pipeline_over_baseline"))
                    + optional(", pipeline/overlap ", m.get("pipeline_over_overlap"))
                    + "; whole runs: " + m.get("whole_run_pipeline_over_limit")
                    + optional(", ", m.get("whole_run_pipeline_over_baseline"));
            default -> "";
        };
    }

    /** The results' mean stage timings, in the order of the data flow. */
    private static String stages(Object means) {
        if (!(means instanceof Map<?, ?> m)) {
            return "";
        }
        return ", mean ms: wait " + m.get("queue_wait") + ", fetch " + m.get("fetch") + ", decode " + m.get("decode")
                + ", inference/image " + m.get("inference_per_image");
    }

    /** {@code label + value}, or nothing when there is no value. */
    private static String optional(String label, Object value) {
        return value == null ? "" : label + value;
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    static void printRows(PrintWriter out, List<List<String>> rows) {
        int[] width = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", row.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}

package dev.streamsight.cli;

import dev.streamsight.bench.BenchCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the {@code bench} modes. */
final class BenchOptions {
    static final String DEFAULT_MODEL = "mobilenetv2-12-int8";
    static final List<Integer> DEFAULT_BATCH_SIZES = List.of(1, 8, 16, 32);

    @Option(names = "--model", defaultValue = DEFAULT_MODEL, paramLabel = "ID",
            description = "Model (catalog id; default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Images (a directory or a file). Default: the imagenet-sample directory next to the"
                    + " model or image search path (../images/imagenet-sample of a STREAMSIGHT_MODEL_PATH entry,"
                    + " ../imagenet-sample of a STREAMSIGHT_IMAGE_PATH entry), else STREAMSIGHT_IMAGE_PATH.")
    String images;

    @Option(names = "--batch-size", paramLabel = "N[,N...]",
            description = "engine: batch sizes to sweep (default 1,8,16,32); pipeline: batch.size (default 16); overlap:"
                    + " the engine batch (default: timed at load).")
    String batchSizes;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads (engine.threads; default 0: ONNX Runtime's choice, one per"
                    + " physical core as it counts them). engine and limit, without --threads or --callers: both ways"
                    + " of using all cores, one caller with a thread per core and a caller per core with one thread"
                    + " each.")
    int threads;

    @Option(names = "--callers", defaultValue = "0", paramLabel = "N",
            description = "engine: threads running the session at once, each on its own tensor, as stream threads do"
                    + " (default: see --threads).")
    int callers;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "engine and preprocess: timed rounds of about 0.3 s each (overlap: about 1 s); the best is reported"
                    + " (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "One JSON object per measurement on stdout instead of the table.")
    boolean json;

    /** The batch sizes asked for, or the defaults. */
    List<Integer> batchSizeList() {
        if (batchSizes == null || batchSizes.isBlank()) {
            return DEFAULT_BATCH_SIZES;
        }
        List<Integer> out = new ArrayList<>();
        for (String s : batchSizes.split(",")) {
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--batch-size: not a number: " + s);
            }
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("--batch-size: must be between 1 and 4096, got " + n);
            }
            out.add(n);
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /**
     * The engine's ways of running, as {intra-op threads, callers}: the ones asked for, or both ways
     * of using {@code cores} cores.
     */
    List<int[]> engineConfigurations(int cores) {
        if (threads < 0 || callers < 0) {
            throw new IllegalArgumentException("--threads and --callers must be >= 0");
        }
        if (threads == 0 && callers == 0) {
            return cores == 1 ? List.of(new int[] {1, 1}) : List.of(new int[] {cores, 1}, new int[] {1, cores});
        }
        return List.of(new int[] {threads, Math.max(1, callers)});
    }

    /** The intra-op threads as reported: the cores for ONNX Runtime's default. */
    int reportedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The image files the benchmark uses (at least one). */
    List<Path> imageFiles(List<String> positional) {
        List<String> refs;
        if (positional != null && !positional.isEmpty()) {
            refs = ImageArguments.expand(positional);
        } else if (images != null) {
            refs = ImageArguments.expand(List.of(images));
        } else {
            refs = ImageArguments.expand(defaultImages().stream().map(Path::toString).toList());
        }
        List<Path> files = refs.stream().filter(r -> !r.contains("://")).map(Path::of).filter(Files::isRegularFile)
                .toList();
        if (files.isEmpty()) {
            boolean positionalGiven = positional != null && !positional.isEmpty();
            List<String> given = positionalGiven ? positional : images != null ? List.of(images) : List.of();
            throw new IllegalArgumentException(given.isEmpty()
                    ? "no images: pass --images DIR or set STREAMSIGHT_IMAGE_PATH"
                    : (positionalGiven ? "" : "--images: ") + "no image files in "
                            + String.join(", ", given.stream().map(BenchOptions::describe).toList()));
        }
        return files;
    }

    /** A path the user gave, with what is wrong with it when it is not there at all. */
    private static String describe(String given) {
        return Files.exists(Path.of(given)) ? given : given + " (no such file or directory)";
    }

    /** The default image directory (see {@code --images}). */
    static List<Path> defaultImages() {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String dir : entries("STREAMSIGHT_MODEL_PATH")) {
            candidates.add(Path.of(dir).toAbsolutePath().normalize().resolveSibling("images").resolve("imagenet-sample"));
        }
        for (String dir : entries("STREAMSIGHT_IMAGE_PATH")) {
            candidates.add(Path.of(dir).toAbsolutePath().normalize().resolveSibling("imagenet-sample"));
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return List.of(c);
            }
        }
        return entries("STREAMSIGHT_IMAGE_PATH").stream().map(Path::of).filter(Files::exists).toList();
    }

    private static List<String> entries(String variable) {
        String v = System.getenv(variable);
        return v == null ? List.of() : Arrays.stream(v.split(":")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Options of the modes that run through Kafka. */
    static final class Stream {
        @Option(names = "--events", defaultValue = "2000", paramLabel = "N",
                description = "Events to publish (default: ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
                description = "Publish R events/s to the running application instead of a backlog published before it"
                        + " starts (default: a backlog).")
        double rate;

        @Option(names = "--warmup-seconds", defaultValue = "5", paramLabel = "S",
                description = "At a --rate: the steady_* latency percentiles leave out the events published in the first"
                        + " S seconds (JIT compilation, the first batches); p50/p95/p99 cover every event"
                        + " (default: ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @Option(names = "--partitions", defaultValue = "6", paramLabel = "N",
                description = "Partitions of the fresh input topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--broker", defaultValue = "child", paramLabel = "child|in-process",
                description = "Without --bootstrap-server: run the broker in a child JVM (default, so that rss_mb is the"
                        + " application's own) or in this process.")
        String broker;

        @Option(names = "--timeout", defaultValue = "600s", paramLabel = "DURATION",
                description = "Longest wait for the results of one run (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Mixin
        ConnectionOptions connection;

        BenchCluster.BrokerMode brokerMode() {
            return BenchCluster.BrokerMode.parse(broker);
        }

        void validate() {
            if (events < 1) {
                throw new IllegalArgumentException("--events must be at least 1, got " + events);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            if (!(rate >= 0)) {
                throw new IllegalArgumentException("--rate must be >= 0, got " + rate);
            }
            if (!(warmupSeconds >= 0)) {
                throw new IllegalArgumentException("--warmup-seconds must be >= 0, got " + warmupSeconds);
            }
        }
    }
}

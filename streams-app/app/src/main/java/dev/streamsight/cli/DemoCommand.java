package dev.streamsight.cli;

import dev.streamsight.config.Durations;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.observe.LogFormat;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.model.Task;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.topology.PipelineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code streamsight demo}: the whole pipeline in one command. Without a configured Kafka cluster
 * it starts the in-process broker and schema registry; it creates the topics, publishes the sample
 * images as ImageEvents, runs the pipeline (a classifier and a detector) in this process, reads the
 * results back (read_committed) until every image has a result per model or a dead letter, prints a
 * table, stops everything and deletes its temporary data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the streaming pipeline end to end on the sample images and print what it found.",
                "Without --bootstrap-server (or STREAMSIGHT_BOOTSTRAP_SERVERS) it starts an in-process Kafka"
                        + " broker, and without --schema-registry an in-process schema registry.",
                "IMAGE defaults to the images on STREAMSIGHT_IMAGE_PATH (':'-separated files or directories).",
                "Exit status: 0 when every image got a result per model (or a dead letter), 1 otherwise,"
                        + " 2 on a configuration error."})
final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--models", paramLabel = "ID[,ID...]",
            description = "Models to run (default mobilenetv2-12-int8,yolox-nano: a classifier and a detector).")
    String models;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "Longest wait for the results (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", description = "Print each result record as a JSON line (as tail --json) instead of the table.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Images (files, directories, URIs).")
    List<String> images = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Duration wait = Durations.parse("--timeout", timeout);
        List<String> inputs = images.isEmpty() ? imagePath() : ImageArguments.expand(images);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no sample images: set STREAMSIGHT_IMAGE_PATH (the launcher points it"
                    + " at ../shared/images/photos) or pass IMAGE arguments");
        }
        PrintWriter out = spec.commandLine().getOut();
        Deque<AutoCloseable> cleanup = new ArrayDeque<>();
        try {
            Map<String, String> demoDefaults = new LinkedHashMap<>();
            demoDefaults.put(StreamsightConfig.APPLICATION_ID, "streamsight-demo");
            demoDefaults.put(StreamsightConfig.BATCH_MAX_WAIT, "50ms");
            demoDefaults.put(StreamsightConfig.HTTP_PORT, "0"); // the demo serves no metrics
            demoDefaults.put("commit.interval.ms", "100");
            demoDefaults.put(StreamsightConfig.SHUTDOWN_TIMEOUT, "10s");
            demoDefaults.putAll(fetchDefaults(inputs));
            StreamsightConfig config = connection.fill(StreamsightConfig.builder()
                            .commandDefaults(demoDefaults, "demo default"))
                    .flag(StreamsightConfig.MODELS, models, "--models")
                    .build();
            if (config.explicitStateDir().isEmpty()) {
                Path stateDir = scratchStateDir(config.stateRoot());
                cleanup.push(() -> deleteTree(stateDir));
                config = config.with(Map.of("state.dir", stateDir.toString()), "demo default");
            }

            // Start the broker and registry while the models load.
            if (config.bootstrapServers().isEmpty()) {
                // The in-process broker's shutdown logs a spurious "Attempting to close NetworkClient that has
                // already been closed" (Kafka 4.4, its controller channel); nothing for a demo user to act on.
                LogFormat.errorsOnly("org.apache.kafka.clients.NetworkClient");
            }
            CompletableFuture<EmbeddedKafka> kafka = config.bootstrapServers().isPresent() ? null
                    : CompletableFuture.supplyAsync(EmbeddedKafka::start);
            if (kafka != null) {
                cleanup.push(() -> kafka.join().close());
            }
            CompletableFuture<InProcessSchemaRegistry> registry = config.schemaRegistryUrl().isPresent() ? null
                    : CompletableFuture.supplyAsync(InProcessSchemaRegistry::start);
            if (registry != null) {
                cleanup.push(() -> registry.join().close());
            }
            List<LoadedModel> loaded = PipelineRunner.loadModels(config);
            Map<String, String> where = new LinkedHashMap<>();
            try {
                if (kafka != null) {
                    where.put(StreamsightConfig.BOOTSTRAP_SERVERS, kafka.join().bootstrapServers());
                }
                if (registry != null) {
                    where.put(StreamsightConfig.SCHEMA_REGISTRY_URL, registry.join().url());
                }
            } catch (CompletionException e) {
                loaded.forEach(LoadedModel::close);
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            config = config.with(where, "demo (in-process)");
            PipelineRunner runner;
            try {
                runner = PipelineRunner.start(config, loaded, true);
            } catch (RuntimeException e) {
                loaded.forEach(LoadedModel::close);
                throw e;
            }
            cleanup.push(runner);

            String input = runner.settings().inputTopics().getFirst();
            List<String> modelIds = runner.settings().models();
            if (!json) {
                out.println("Streamsight demo: " + inputs.size() + " images through " + runner.models().stream()
                        .map(m -> m.id() + " (" + m.task().name().toLowerCase(Locale.ROOT) + ", " + m.provider().id()
                                + ")").collect(Collectors.joining(" and ")));
                out.println("Kafka " + config.bootstrapServers().orElseThrow() + (kafka != null ? " (in-process)" : "")
                        + ", schema registry " + StreamsightConfig.mask("url", config.schemaRegistryUrl().orElseThrow())
                        + (registry != null ? " (in-process)" : "") + ", topics " + input + " -> "
                        + String.join(", ", runner.settings().outputTopics()));
                out.flush();
            }

            Map<String, Object> client = config.clientProperties();
            OutputReader reader = new OutputReader(client, runner.settings().outputTopics(), Duration.ofSeconds(30));
            cleanup.push(reader);
            reader.fromEnd(); // fixed before publishing: only this run's results count
            long p0 = System.nanoTime();
            String run = UUID.randomUUID().toString().substring(0, 8);
            ImageEventPublisher.Outcome sent;
            try (ImageEventPublisher publisher = new ImageEventPublisher(client)) {
                sent = publisher.publish(input, inputs, null, false,
                        ImageEventPublisher.prefixedIds("demo-" + run + "-"));
            }
            for (ImageEventPublisher.Failed f : sent.failed()) {
                spec.commandLine().getErr().println("streamsight demo: not sent: " + f.image() + ": " + f.message());
            }
            LOG.info("published {} image events to {}", sent.sent().size(), input);

            Map<String, Map<String, GenericRecord>> results = new LinkedHashMap<>();
            Map<String, String> imageOf = new HashMap<>();
            for (ImageEventPublisher.Sent s : sent.sent()) {
                results.put(s.id(), new HashMap<>());
                imageOf.put(s.id(), s.image());
            }
            int remaining = results.size() * modelIds.size();
            int deadLetters = 0;
            long deadline = System.nanoTime() + wait.toNanos();
            JsonLines lines = new JsonLines(out);
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (OutputReader.Item item : reader.poll(Duration.ofMillis(100))) {
                    if (item.error() != null || !(item.value() instanceof GenericRecord r)) {
                        LOG.warn("unreadable record {}-{}@{}: {}", item.topic(), item.partition(), item.offset(),
                                item.error());
                        continue;
                    }
                    String id = OutputRecords.eventId(r);
                    Map<String, GenericRecord> got = id == null ? null : results.get(id);
                    if (got == null) {
                        continue; // not from this run
                    }
                    if (json) {
                        lines.write(OutputRecords.json(item.topic(), item.partition(), item.offset(), r));
                    }
                    boolean dead = OutputRecords.DEAD_LETTER.equals(OutputRecords.kind(r));
                    deadLetters += dead ? 1 : 0;
                    String model = OutputRecords.modelId(r);
                    for (String m : model != null ? List.of(model) : modelIds) {
                        if (got.putIfAbsent(m, r) == null) {
                            remaining--;
                        }
                    }
                }
            }
            double pipelineS = (System.nanoTime() - p0) / 1e9;
            if (!json) {
                printTable(out, results, imageOf, runner);
            }
            int resultCount = results.values().stream().mapToInt(Map::size).sum();
            String summary = String.format(Locale.ROOT, "%d images, %d results, %d dead letters; pipeline %.1f s,"
                    + " total %.1f s", results.size(), resultCount - deadLetters, deadLetters, pipelineS,
                    (System.nanoTime() - t0) / 1e9);
            if (json) {
                spec.commandLine().getErr().println("streamsight demo: " + summary);
            } else {
                out.println(summary);
            }
            out.flush();
            if (remaining > 0) {
                spec.commandLine().getErr().println("streamsight demo: " + remaining + " results missing after "
                        + Durations.format(wait));
                return 1;
            }
            return sent.failed().isEmpty() ? 0 : 1;
        } finally {
            close(cleanup);
        }
    }

    private void printTable(PrintWriter out, Map<String, Map<String, GenericRecord>> results,
            Map<String, String> imageOf, PipelineRunner runner) {
        List<String> header = new ArrayList<>();
        header.add("IMAGE");
        for (LoadedModel m : runner.models()) {
            header.add(m.id() + (m.task() == Task.CLASSIFICATION ? " (top-1)" : " (objects)"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (var e : results.entrySet()) {
            List<String> row = new ArrayList<>();
            row.add(fileName(imageOf.get(e.getKey())));
            for (LoadedModel m : runner.models()) {
                row.add(cell(e.getValue().get(m.id())));
            }
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (List<String> row : Stream.concat(Stream.of(header), rows.stream()).toList()) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        out.println();
        for (List<String> row : Stream.concat(Stream.of(header), rows.stream()).toList()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == row.size() - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + width[i] + "s  ",
                        row.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println();
    }

    private static String cell(GenericRecord r) {
        if (r == null) {
            return "(no result)";
        }
        switch (OutputRecords.kind(r)) {
            case OutputRecords.CLASSIFICATION -> {
                List<Map<String, Object>> top = OutputRecords.labels(r);
                return top.isEmpty() ? "-" : String.format(Locale.ROOT, "%s %.2f", top.getFirst().get("label"),
                        (Float) top.getFirst().get("score"));
            }
            case OutputRecords.DETECTION -> {
                Map<String, Long> counts = OutputRecords.detections(r).stream().collect(Collectors.groupingBy(
                        d -> (String) d.get("label"), LinkedHashMap::new, Collectors.counting()));
                if (counts.isEmpty()) {
                    return "nothing found";
                }
                return counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                        .map(c -> c.getValue() + " " + c.getKey())
                        .collect(Collectors.joining(", "));
            }
            case OutputRecords.DEAD_LETTER -> {
                return "ERROR " + OutputRecords.str(r.get("reasonCode"));
            }
            default -> {
                return r.getSchema().getName();
            }
        }
    }

    private static String fileName(String image) {
        String s = image.endsWith("/") ? image.substring(0, image.length() - 1) : image;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** The images on STREAMSIGHT_IMAGE_PATH: files as they are, directories expanded. */
    private static List<String> imagePath() {
        String path = System.getenv("STREAMSIGHT_IMAGE_PATH");
        if (path == null || path.isBlank()) {
            return List.of();
        }
        List<String> entries = Arrays.stream(path.split(":")).map(String::trim).filter(s -> !s.isEmpty())
                .filter(s -> Files.exists(Path.of(s))).toList();
        return ImageArguments.expand(entries);
    }

    /**
     * The fetch settings of a demo, which reads the images its user named and nothing else: the
     * directories of the local ones as file roots, the hosts of the http(s) ones on the allow-list.
     */
    static Map<String, String> fetchDefaults(List<String> inputs) {
        Map<String, String> fetch = new LinkedHashMap<>();
        String roots = fileRoots(inputs);
        if (!roots.isEmpty()) {
            fetch.put(StreamsightConfig.FETCH_FILE_ROOTS, roots);
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String in : inputs) {
            if (in.regionMatches(true, 0, "http://", 0, 7) || in.regionMatches(true, 0, "https://", 0, 8)) {
                try {
                    String host = URI.create(in).getHost();
                    if (host != null && !host.contains("%")) {
                        hosts.add(host);
                    }
                } catch (IllegalArgumentException e) {
                    // not a URL: the pipeline dead-letters it
                }
            }
        }
        if (!hosts.isEmpty()) {
            fetch.put(StreamsightConfig.FETCH_HTTP_ALLOW, String.join(",", hosts));
        }
        return fetch;
    }

    /** The directories of the local images, so that the pipeline reads nothing else. */
    /**
     * A fresh state directory for this demo, deleted at its end: under the state root, which the
     * operating system does not clear (Kafka Streams warns about a temporary directory), or, when that
     * cannot be written, under the temporary directory after all.
     */
    private static Path scratchStateDir(Path root) throws java.io.IOException {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "demo-");
        } catch (java.io.IOException e) {
            return Files.createTempDirectory("streamsight-demo-");
        }
    }

    private static String fileRoots(List<String> inputs) {
        Set<String> roots = new LinkedHashSet<>();
        for (String in : inputs) {
            try {
                Path p = in.startsWith("file:") ? Path.of(URI.create(in))
                        : in.matches("(?i)[a-z][a-z0-9+.-]*://.*") ? null : Path.of(in);
                if (p != null && Files.isRegularFile(p)) {
                    roots.add(p.toAbsolutePath().normalize().getParent().toRealPath().toString());
                }
            } catch (IOException | RuntimeException e) {
                // not a readable local file: the publisher reports it
            }
        }
        return String.join(",", roots);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void close(Deque<AutoCloseable> cleanup) {
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                LOG.warn("cleanup: {}", e.toString());
            }
        }
    }
}

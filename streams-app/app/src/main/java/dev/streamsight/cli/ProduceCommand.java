package dev.streamsight.cli;

import dev.streamsight.config.StreamsightConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight produce}: publishes one ImageEvent per image. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Publish one ImageEvent per image to a topic, keyed by its id (idempotent producer, acks=all).",
                "IMAGE is a file (sent as its absolute file:// URI), a directory (its files, in name order)"
                        + " or a URI (sent as given). With --inline the image bytes travel in the event.",
                "Exit status: 0 when every image was sent, 1 when any was not, 2 on a configuration error."})
final class ProduceCommand implements Callable<Integer> {
    @Option(names = "--topic", required = true, paramLabel = "T", description = "Topic to publish to.")
    String topic;

    @Option(names = "--models", split = ",", paramLabel = "ID[,ID...]",
            description = "Models the events ask for (default: every model the application runs).")
    List<String> models;

    @Option(names = "--from-file", paramLabel = "LIST",
            description = "File with one image per line ('-' for stdin; blank lines and # comments skipped).")
    String fromFile;

    @Option(names = "--inline", description = "Embed the encoded image bytes in the events instead of a URI.")
    boolean inline;

    @Option(names = "--id-prefix", paramLabel = "P",
            description = "Event ids P1, P2, ... (the image's position) instead of random UUIDs.")
    String idPrefix;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Images to publish.")
    List<String> images = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(ImageArguments.expand(images));
        if (fromFile != null) {
            all.addAll(ImageArguments.expand(readList(fromFile)));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no images: give IMAGE arguments or --from-file LIST");
        }
        StreamsightConfig config = connection.builder().build();
        Map<String, Object> props = ConnectionOptions.requireClientProperties(config);
        IntFunction<String> ids = idPrefix == null ? ImageEventPublisher.randomIds()
                : ImageEventPublisher.prefixedIds(idPrefix);
        ImageEventPublisher.Outcome outcome;
        try (ImageEventPublisher publisher = new ImageEventPublisher(props)) {
            outcome = publisher.publish(topic, all, models, inline, ids);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (ImageEventPublisher.Failed f : outcome.failed()) {
            err.println("streamsight produce: not sent: " + f.image() + ": " + f.message());
        }
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("topic", topic);
            line.put("sent", outcome.sent().size());
            line.put("failed", outcome.failed().size());
            new JsonLines(out).write(line);
        } else {
            out.println("sent " + outcome.sent().size() + " image event" + (outcome.sent().size() == 1 ? "" : "s")
                    + " to " + topic + (outcome.failed().isEmpty() ? "" : "; " + outcome.failed().size() + " failed"));
        }
        out.flush();
        err.flush();
        return outcome.failed().isEmpty() ? 0 : 1;
    }

    private static List<String> readList(String file) {
        try {
            List<String> lines = file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                    : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("--from-file: no such file: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

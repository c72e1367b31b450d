package dev.streamsight.cli;

import dev.streamsight.config.Durations;
import dev.streamsight.config.StreamsightConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamsight tail}: prints result and dead-letter records. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print the records of result or dead-letter topics (read_committed, no consumer group).",
                "Stops after --count records, or when --timeout passes with nothing new; else runs until"
                        + " interrupted. A topic that does not exist yet is waited for (--timeout, else 30 s).",
                "Exit status: 0; 1 when --count was given and fewer records came before the timeout;"
                        + " 2 on a configuration error."})
final class TailCommand implements Callable<Integer> {
    @Option(names = "--topic", required = true, split = ",", paramLabel = "T[,T...]", description = "Topics to read.")
    List<String> topics;

    @Option(names = "--from-beginning", description = "Start at the oldest record (default: only new records).")
    boolean fromBeginning;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N records.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop when nothing new arrived for this long (e.g. 10s, 500ms, PT1M).")
    String timeout;

    @Option(names = "--json", description = "One JSON object per record, shaped like classify/detect lines"
            + " plus id, topic, partition and offset; dead letters carry error {code, message, stage}.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        Duration idle = timeout == null ? null : Durations.parse("--timeout", timeout);
        StreamsightConfig config = connection.builder().build();
        Map<String, Object> props = ConnectionOptions.requireClientProperties(config);
        PrintWriter out = spec.commandLine().getOut();
        JsonLines lines = new JsonLines(out);
        int seen = 0;
        try (OutputReader reader = new OutputReader(props, topics, idle != null ? idle : Duration.ofSeconds(30))) {
            if (fromBeginning) {
                reader.fromBeginning();
            } else {
                reader.fromEnd();
            }
            long lastNew = System.nanoTime();
            while (count == null || seen < count) {
                List<OutputReader.Item> items = reader.poll(Duration.ofMillis(200));
                if (items.isEmpty()) {
                    if (idle != null && System.nanoTime() - lastNew >= idle.toNanos()) {
                        break;
                    }
                    continue;
                }
                lastNew = System.nanoTime();
                for (OutputReader.Item item : items) {
                    print(item, lines, out);
                    seen++;
                    if (count != null && seen >= count) {
                        break;
                    }
                }
                out.flush();
            }
        }
        out.flush();
        if (count != null && seen < count) {
            spec.commandLine().getErr().println("streamsight tail: " + seen + " of " + count
                    + " records before the " + timeout + " timeout");
            return 1;
        }
        return 0;
    }

    private void print(OutputReader.Item item, JsonLines lines, PrintWriter out) {
        if (item.error() != null) {
            if (json) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("code", "DESERIALIZATION_FAILED");
                err.put("message", String.valueOf(item.error().getMessage()));
                err.put("stage", "deserialize");
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("error", err);
                line.put("topic", item.topic());
                line.put("partition", item.partition());
                line.put("offset", item.offset());
                lines.write(line);
            } else {
                out.println(item.topic() + "[" + item.partition() + "]@" + item.offset()
                        + " ERROR DESERIALIZATION_FAILED: " + item.error().getMessage());
            }
            return;
        }
        if (json) {
            lines.write(OutputRecords.json(item.topic(), item.partition(), item.offset(), item.value()));
        } else {
            out.println(OutputRecords.text(item.topic(), item.partition(), item.offset(), item.value()));
        }
    }
}

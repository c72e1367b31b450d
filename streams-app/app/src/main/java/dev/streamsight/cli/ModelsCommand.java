package dev.streamsight.cli;

import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelSignature;
import dev.streamsight.inference.TensorDescription;
import dev.streamsight.model.ModelCatalog;
import dev.streamsight.model.ModelDescriptor;
import dev.streamsight.model.ModelDescriptors;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight models list|info}: the catalog, and what one model file holds. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model catalog or describe one model.",
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.InfoCommand.class})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in model catalog.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "One JSON object per model.")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            JsonLines lines = new JsonLines(out);
            List<ModelDescriptor> all = ModelCatalog.builtIn().all();
            if (!json) {
                out.printf("%-28s %-14s %-9s %s%n", "ID", "TASK", "INPUT", "DESCRIPTION");
            }
            for (ModelDescriptor d : all) {
                String input = d.preprocess().width() + "x" + d.preprocess().height();
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("id", d.id());
                    line.put("task", d.task().name().toLowerCase());
                    line.put("input", List.of(d.preprocess().width(), d.preprocess().height()));
                    line.put("file", d.file());
                    line.put("url", d.url());
                    line.put("sha256", d.sha256());
                    line.put("description", d.description());
                    lines.write(line);
                } else {
                    out.printf("%-28s %-14s %-9s %s%n", d.id(), d.task().name().toLowerCase(), input,
                            d.description() == null ? "" : d.description());
                }
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Load a model and show its inputs, outputs, metadata, descriptor and checksum.")
    static final class InfoCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID|PATH", description = "Catalog id or ONNX file.")
        String model;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Mixin
        EngineOptionsMixin engine;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (LoadedModel m = engine.loader().load(model, engine.descriptor)) {
                ModelSignature sig = m.signature();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("id", m.id());
                info.put("task", m.task().name().toLowerCase());
                info.put("file", m.file().toString());
                info.put("sha256", m.sha256());
                info.put("provider", m.provider().id());
                info.put("batch", m.batchCapacity());
                info.put("inputs", tensors(sig.inputs()));
                info.put("outputs", tensors(sig.outputs()));
                info.put("producer", sig.producer());
                info.put("graph", sig.graphName());
                info.put("metadata", sig.metadata());
                info.put("labels", Map.of("source", String.valueOf(m.descriptor().labels()),
                        "count", m.labels().size()));
                info.put("descriptor", JsonLines.tree(ModelDescriptors.write(m.descriptor())));
                if (json) {
                    new JsonLines(out).write(info);
                } else {
                    out.println(JsonLines.toJson(info));
                    out.flush();
                }
                return 0;
            }
        }

        private static List<Map<String, Object>> tensors(List<TensorDescription> list) {
            return list.stream().map(t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.name());
                m.put("type", t.type());
                m.put("shape", java.util.Arrays.stream(t.shape()).boxed().toList());
                return m;
            }).toList();
        }
    }
}

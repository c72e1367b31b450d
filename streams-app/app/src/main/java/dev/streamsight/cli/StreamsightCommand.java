package dev.streamsight.cli;

import picocli.CommandLine.Command;

/** The top-level {@code streamsight} command; it only groups the subcommands. */
@Command(name = "streamsight",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming image classification and object detection with ONNX Runtime.",
        subcommands = {ClassifyCommand.class, DetectCommand.class, ModelsCommand.class,
                BenchCommand.class, CompareCommand.class, RunCommand.class, ProduceCommand.class, TailCommand.class,
                DemoCommand.class, ReplayCommand.class})
final class StreamsightCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}

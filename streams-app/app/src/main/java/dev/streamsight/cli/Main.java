package dev.streamsight.cli;

import picocli.CommandLine;

/** Entry point of the {@code streamsight} command line; wires the subcommands and exits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit status (used by tests, which must not exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** A fresh command line; tests set its out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StreamsightCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }
}

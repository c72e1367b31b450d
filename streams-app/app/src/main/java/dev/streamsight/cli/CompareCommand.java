package dev.streamsight.cli;

import dev.streamsight.compare.Comparison;
import dev.streamsight.compare.ComparisonReport;
import dev.streamsight.compare.ResultLines;
import dev.streamsight.compare.Side;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamsight compare}: the results of two models on the same images, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare the results of a new model with an old one's: the --json output of classify, detect"
                + " or tail, one file per model. Lines are joined on \"id\" when they have one, else on \"image\";"
                + " errors are counted per side, not compared; a key seen twice on one side keeps its last line.",
                "Classifiers: top-1 agreement, top-5 overlap, score change of the agreed label, most frequent"
                        + " top-1 changes. Detectors: objects per class, precision and recall of the new boxes"
                        + " against the old ones at IoU >= 0.5, mean IoU.",
                "Exit status: 0 when results were compared, 1 when no key is in both files,"
                        + " 2 on unreadable or invalid input (naming file and line) or results of different tasks."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD.jsonl", description = "Results of the old (reference) model.")
    Path oldResults;

    @Parameters(index = "1", paramLabel = "NEW.jsonl", description = "Results of the new model.")
    Path newResults;

    @Option(names = "--json", description = "One JSON object on stdout instead of the tables.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write a self-contained HTML page with the figures and a chart.")
    Path htmlReport;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Comparison comparison = new Comparison(oldResults.toString(), newResults.toString());
        // Refuse results of different tasks before reading the files through.
        ResultLines.task(oldResults).ifPresent(task -> comparison.expectTask(Side.OLD, task));
        ResultLines.task(newResults).ifPresent(task -> comparison.expectTask(Side.NEW, task));
        ResultLines.read(oldResults, comparison::addOld);
        ResultLines.read(newResults, comparison::addNew);
        ComparisonReport report = comparison.report();
        if (htmlReport != null) {
            write(htmlReport, report.toHtml());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() + "\n" : report.toText());
        out.flush();
        if (report.joined() == 0) {
            spec.commandLine().getErr().println("streamsight compare: no key has a result in both files, nothing"
                    + " was compared (lines are joined on \"id\" when they have one, else on \"image\")");
            return 1;
        }
        return 0;
    }

    private static void write(Path file, String html) {
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write --report " + file + ": " + e, e);
        }
    }
}

package dev.streamsight.compare;

import dev.streamsight.compare.ComparisonReport.ClassCount;
import dev.streamsight.compare.ComparisonReport.ClassificationFigures;
import dev.streamsight.compare.ComparisonReport.DetectionFigures;
import dev.streamsight.compare.ComparisonReport.LabelChange;
import dev.streamsight.compare.ComparisonReport.SideSummary;
import java.util.Locale;

/**
 * The report laid out as a headline and tables: the inputs, the figures, and the details (label changes
 * or objects per class; null when there is no task). Immutable.
 */
record ReportTables(String headline, Table inputs, Table figures, Table details) {

    static ReportTables of(ComparisonReport report) {
        Table inputs = new Table(null, "side", "source", "model", ">results", ">keys", ">failed", ">duplicates");
        side(inputs, "old", report.oldSide());
        side(inputs, "new", report.newSide());
        Table figures = new Table(null, "figure", "value", "meaning")
                .row("joined", report.joined(), "keys with a successful result on both sides: the ones compared")
                .row("only old", report.onlyOld(), "keys with a result on the old side only")
                .row("only new", report.onlyNew(), "keys with a result on the new side only")
                .row("failed old", report.oldSide().failed(), "keys whose old result is an error")
                .row("failed new", report.newSide().failed(), "keys whose new result is an error");
        Table details = null;
        if (report.classification() != null) {
            classification(figures, report.joined(), report.classification());
            details = labelChanges(report.classification());
        } else if (report.detection() != null) {
            detection(figures, report.detection());
            details = perClass(report.detection());
        }
        return new ReportTables(headline(report), inputs, figures, details);
    }

    private static String headline(ComparisonReport report) {
        String task = report.task() == null ? "nothing to compare" : report.task().name().toLowerCase(Locale.ROOT);
        return Table.printable(task + ": " + name(report.oldSide()) + " (old) vs " + name(report.newSide())
                + " (new)");
    }

    private static String name(SideSummary side) {
        return side.model() != null ? side.model() : side.source();
    }

    private static void side(Table table, String name, SideSummary s) {
        table.row(name, s.source(), s.model() == null ? "-" : s.model(), s.results(), s.keys(), s.failed(),
                s.duplicates());
    }

    private static void classification(Table figures, int joined, ClassificationFigures c) {
        String agreement = c.top1Agreement() == null ? "n/a"
                : String.format(Locale.ROOT, "%d of %d (%.1f%%)", c.agreeCount(), joined, 100 * c.top1Agreement());
        figures.row("top-1 agreement", agreement, "keys whose top-1 labels are the same")
                .row("top-5 overlap", decimal(c.top5Overlap(), "%.3f"), "mean share of the top-5 labels both give")
                .row("mean score change", decimal(c.meanScoreChange(), "%+.4f"),
                        "new - old score of the top-1 label, where they agree");
    }

    private static Table labelChanges(ClassificationFigures c) {
        String title = c.labelChangeKinds() == 0 ? "top-1 changes: none"
                : c.labelChangeKinds() <= c.labelChanges().size() ? "top-1 changes (old -> new)"
                : "top-1 changes (old -> new): the " + c.labelChanges().size() + " most frequent of "
                        + c.labelChangeKinds();
        Table table = new Table(title, ">count", "old label", "new label");
        for (LabelChange change : c.labelChanges()) {
            table.row(change.count(), change.from(), change.to());
        }
        return table;
    }

    private static void detection(Table figures, DetectionFigures d) {
        figures.row("old objects", d.oldObjects(), "objects the old model found in joined images")
                .row("new objects", d.newObjects(), "objects the new model found in joined images")
                .row("matched", d.matched(), String.format(Locale.ROOT,
                        "new objects matching an old one of the same class at IoU >= %.1f",
                        ComparisonReport.IOU_THRESHOLD))
                .row("precision", decimal(d.precision(), "%.3f"), "matched / new objects")
                .row("recall", decimal(d.recall(), "%.3f"), "matched / old objects")
                .row("mean IoU", decimal(d.meanIou(), "%.3f"), "of the matched pairs")
                .row("size mismatches", d.sizeMismatches(), "joined images whose sizes differ (boxes not comparable)");
    }

    private static Table perClass(DetectionFigures d) {
        Table table = new Table("objects per class (joined images)", ">index", "class", ">old", ">new", ">matched");
        for (ClassCount c : d.perClass()) {
            table.row(c.index(), c.label(), c.oldCount(), c.newCount(), c.matched());
        }
        return table.row("", "total", d.oldObjects(), d.newObjects(), d.matched());
    }

    private static String decimal(Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}

package dev.streamsight.compare;

import static dev.streamsight.compare.Results.failed;
import static dev.streamsight.compare.Results.label;
import static dev.streamsight.compare.Results.top;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamsight.compare.ComparisonReport.ClassificationFigures;
import dev.streamsight.compare.ComparisonReport.LabelChange;
import dev.streamsight.model.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classification figures on small inputs whose answers are worked out by hand. */
class ClassificationComparisonTest {
    private final Comparison comparison = new Comparison("old.jsonl", "new.jsonl");

    @Test
    void agreementOverlapAndScoreChange() {
        // a: agrees, 3 of the top 5 shared, score 0.8 -> 0.6
        comparison.addOld(top("a", label(1, "cat", 0.8), label(2, "dog", 0.1), label(3, "fox", 0.05),
                label(4, "owl", 0.02), label(5, "eel", 0.01)));
        comparison.addNew(top("a", label(1, "cat", 0.6), label(3, "fox", 0.2), label(2, "dog", 0.1),
                label(9, "ant", 0.05), label(10, "bee", 0.01)));
        // b: disagrees, 1 of 5 shared (the old top-1 is the new top-5)
        comparison.addOld(top("b", 7, 11, 12, 13, 14));
        comparison.addNew(top("b", 8, 20, 21, 22, 7));
        // c: agrees, all 5 shared in another order, score 0.3 -> 0.4
        comparison.addOld(top("c", label(6, "elk", 0.3), label(1, "cat", 0.2), label(2, "dog", 0.1),
                label(3, "fox", 0.1), label(4, "owl", 0.1)));
        comparison.addNew(top("c", label(6, "elk", 0.4), label(4, "owl", 0.2), label(3, "fox", 0.1),
                label(2, "dog", 0.1), label(1, "cat", 0.1)));

        ComparisonReport report = comparison.report();
        assertEquals(Task.CLASSIFICATION, report.task());
        assertEquals(3, report.joined());
        ClassificationFigures c = report.classification();
        assertEquals(2, c.agreeCount());
        assertEquals(2.0 / 3, c.top1Agreement(), 1e-12);
        assertEquals((0.6 + 0.2 + 1.0) / 3, c.top5Overlap(), 1e-12);
        assertEquals(((0.6 - 0.8) + (0.4 - 0.3)) / 2, c.meanScoreChange(), 1e-6);
        assertEquals(List.of(new LabelChange("c7", "c8", 1)), c.labelChanges());
        assertNull(report.detection());
    }

    @Test
    void overlapUsesTheEntriesBothSidesHaveUpToFive() {
        // old has 3 entries (--top 3): k = 3, 2 of the first 3 shared; the new side's 4th entry is not looked at
        comparison.addOld(top("a", 1, 2, 3));
        comparison.addNew(top("a", 1, 3, 9, 2, 4, 5, 6));
        // both have 7: only the first 5 count, and index 6 (6th on both) does not
        comparison.addOld(top("b", 1, 2, 3, 4, 5, 6, 7));
        comparison.addNew(top("b", 1, 2, 8, 9, 10, 6, 7));
        assertEquals((2.0 / 3 + 2.0 / 5) / 2, comparison.report().classification().top5Overlap(), 1e-12);
    }

    @Test
    void labelChangesMostFrequentFirstThenByOldThenNewLabel() {
        int n = 0;
        for (String[] change : new String[][] {{"b", "x"}, {"b", "x"}, {"a", "z"}, {"a", "z"}, {"a", "y"},
                {"a", "y"}, {"c", "d"}, {"c", "d"}, {"c", "d"}, {"e", "f"}}) {
            String key = "k" + n++;
            comparison.addOld(top(key, label(change[0].charAt(0), change[0], 0.9)));
            comparison.addNew(top(key, label(change[1].charAt(0) + 1000, change[1], 0.9)));
        }
        assertEquals(List.of(new LabelChange("c", "d", 3), new LabelChange("a", "y", 2), new LabelChange("a", "z", 2),
                new LabelChange("b", "x", 2), new LabelChange("e", "f", 1)),
                comparison.report().classification().labelChanges());
    }

    @Test
    void onlyTheTwentyMostFrequentChangesAreListedButAllAreCounted() {
        for (int i = 0; i < 25; i++) {
            for (int repeat = 0; repeat <= i % 3; repeat++) {
                String key = i + "/" + repeat;
                comparison.addOld(top(key, i));
                comparison.addNew(top(key, 100 + i));
            }
        }
        ClassificationFigures c = comparison.report().classification();
        assertEquals(25, c.labelChangeKinds());
        assertEquals(20, c.labelChanges().size());
        // 8 changes seen 3 times (i = 2, 5, ..., 23), 8 twice, 9 once; by old label "c11" < "c14" < "c17" < "c2"
        assertEquals(new LabelChange("c11", "c111", 3), c.labelChanges().getFirst());
        assertEquals(new LabelChange("c8", "c108", 3), c.labelChanges().get(7));
        assertEquals(2, c.labelChanges().get(8).count());
        assertEquals(new LabelChange("c0", "c100", 1), c.labelChanges().get(16));
        assertEquals(0, c.agreeCount());
        assertNull(c.meanScoreChange(), "no key agrees: nothing to average");
    }

    @Test
    void oneSidedKeysErrorsAndDuplicatesAreCountedNotCompared() {
        comparison.addOld(top("a", 1));
        comparison.addOld(top("b", 2));
        comparison.addOld(failed("c"));
        comparison.addOld(top("d", 4));
        comparison.addOld(failed("f"));
        comparison.addNew(top("a", 9));
        comparison.addNew(failed("b"));
        comparison.addNew(top("e", 5));
        comparison.addNew(top("a", 1)); // replaces the first "a": last wins
        comparison.addNew(failed("f"));

        ComparisonReport report = comparison.report();
        assertEquals(1, report.joined(), "a; b and f failed on a side; c and d are old only");
        assertEquals(2, report.onlyOld(), "c, d");
        assertEquals(1, report.onlyNew(), "e");
        assertEquals(2, report.oldSide().failed(), "c, f");
        assertEquals(2, report.newSide().failed(), "b, f");
        assertEquals(new ComparisonReport.SideSummary("new.jsonl", "m", 5, 4, 2, 1), report.newSide());
        assertEquals(new ComparisonReport.SideSummary("old.jsonl", "m", 5, 5, 2, 0), report.oldSide());
        assertEquals(1, report.classification().agreeCount(), "the later new result of a agrees");
        assertEquals(List.of(), report.classification().labelChanges());
    }

    @Test
    void errorsAloneFixNoTaskAndGiveNoFigures() {
        comparison.addOld(failed("a"));
        comparison.addNew(failed("a"));
        ComparisonReport report = comparison.report();
        assertNull(report.task());
        assertEquals(0, report.joined());
        assertNull(report.classification());
        assertNull(report.detection());
    }
}

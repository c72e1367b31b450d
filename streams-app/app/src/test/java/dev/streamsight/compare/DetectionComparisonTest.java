package dev.streamsight.compare;

import static dev.streamsight.compare.Results.box;
import static dev.streamsight.compare.Results.failed;
import static dev.streamsight.compare.Results.objects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamsight.compare.ComparisonReport.ClassCount;
import dev.streamsight.compare.ComparisonReport.DetectionFigures;
import dev.streamsight.model.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection figures: greedy matching at IoU 0.5, per class, the old side as reference. */
class DetectionComparisonTest {
    private final Comparison comparison = new Comparison("old.jsonl", "new.jsonl");

    private DetectionFigures figures() {
        ComparisonReport report = comparison.report();
        assertEquals(Task.DETECTION, report.task());
        return report.detection();
    }

    @Test
    void anIouOfExactlyOneHalfMatchesAndJustBelowDoesNot() {
        comparison.addOld(objects("half", box(0, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("half", box(0, 0.9, 0, 0, 10, 20))); // 100 / 200
        comparison.addOld(objects("below", box(0, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("below", box(0, 0.9, 0, 0, 10, 20.5))); // 100 / 205
        DetectionFigures d = figures();
        assertEquals(1, d.matched());
        assertEquals(0.5, d.precision(), 1e-12);
        assertEquals(0.5, d.recall(), 1e-12);
        assertEquals(0.5, d.meanIou(), 1e-6);
    }

    @Test
    void boxesOfAnotherClassNeverMatch() {
        comparison.addOld(objects("a", box(0, 0.9, 0, 0, 10, 10), box(2, 0.8, 50, 50, 60, 60)));
        comparison.addNew(objects("a", box(1, 0.9, 0, 0, 10, 10), box(2, 0.7, 50, 50, 60, 60)));
        DetectionFigures d = figures();
        assertEquals(1, d.matched(), "only the class-2 box; the same box as class 1 is a false positive");
        assertEquals(List.of(new ClassCount(0, "class0", 1, 0, 0), new ClassCount(1, "class1", 0, 1, 0),
                new ClassCount(2, "class2", 1, 1, 1)), d.perClass());
        assertEquals(0.5, d.precision(), 1e-12);
        assertEquals(0.5, d.recall(), 1e-12);
        assertEquals(1.0, d.meanIou(), 1e-6);
    }

    @Test
    void newBoxesAreMatchedInDescendingScoreOrder() {
        // the lower-scored new box fits the only old box better, but the higher-scored one takes it first
        comparison.addOld(objects("a", box(0, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("a", box(0, 0.5, 0, 0, 10, 10), box(0, 0.9, 0, 0, 10, 12)));
        DetectionFigures d = figures();
        assertEquals(1, d.matched());
        assertEquals(100.0 / 120, d.meanIou(), 1e-6);
        assertEquals(0.5, d.precision(), 1e-12);
        assertEquals(1.0, d.recall(), 1e-12);
    }

    @Test
    void eachNewBoxTakesTheUnmatchedOldBoxOfHighestIou() {
        // first-come matching would pair 0.9 with the first old box (IoU 0.83) and leave 0.8 with 0.83 too
        comparison.addOld(objects("a", box(0, 0.9, 0, 0, 10, 12), box(0, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("a", box(0, 0.9, 0, 0, 10, 10), box(0, 0.8, 0, 0, 10, 12)));
        DetectionFigures d = figures();
        assertEquals(2, d.matched());
        assertEquals(1.0, d.meanIou(), 1e-6);
    }

    @Test
    void oneSidedAndFailedImagesAreNotCountedInTheFigures() {
        comparison.addOld(objects("both", box(3, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("both", box(3, 0.9, 1, 0, 10, 10)));
        comparison.addOld(objects("old only", box(3, 0.9, 0, 0, 10, 10)));
        comparison.addNew(objects("new only", box(3, 0.9, 0, 0, 10, 10)));
        comparison.addOld(objects("failed new", box(3, 0.9, 0, 0, 10, 10)));
        comparison.addNew(failed("failed new"));
        ComparisonReport report = comparison.report();
        assertEquals(1, report.joined());
        assertEquals(1, report.onlyOld());
        assertEquals(1, report.onlyNew());
        assertEquals(1, report.newSide().failed());
        DetectionFigures d = report.detection();
        assertEquals(List.of(new ClassCount(3, "class3", 1, 1, 1)), d.perClass());
        assertEquals(0.9, d.meanIou(), 1e-6);
    }

    @Test
    void imagesWithNothingFoundGiveNoRatesAndSizesThatDifferAreCounted() {
        comparison.addOld(objects("a"));
        comparison.addNew(new ModelResult.Detected("a", "d", 100, 80, List.of()));
        DetectionFigures d = figures();
        assertEquals(List.of(), d.perClass());
        assertNull(d.precision());
        assertNull(d.recall());
        assertNull(d.meanIou());
        assertEquals(1, d.sizeMismatches());
    }
}

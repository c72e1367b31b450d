package dev.streamsight.compare;

import static dev.streamsight.compare.Results.box;
import static dev.streamsight.compare.Results.failed;
import static dev.streamsight.compare.Results.objects;
import static dev.streamsight.compare.Results.top;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamsight.model.Task;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Results of different tasks cannot be compared, and the caller hears of it as early as it can. */
class TaskMismatchTest {
    private final Comparison comparison = new Comparison("old.jsonl", "topic images.yolox-nano");

    @Test
    void aDeclaredTaskRefusesTheOtherBeforeAnyResult() {
        comparison.expectTask(Side.OLD, Task.CLASSIFICATION);
        TaskMismatchException e = assertThrows(TaskMismatchException.class,
                () -> comparison.expectTask(Side.NEW, Task.DETECTION));
        assertEquals("old.jsonl holds classification results but topic images.yolox-nano holds detection results:"
                + " results of different tasks cannot be compared", e.getMessage());
    }

    @Test
    void aResultOfTheOtherTaskIsRefusedNamingIt() {
        comparison.addOld(failed("x"));
        assertEquals(Optional.empty(), comparison.task(), "an error fits either task");
        comparison.addNew(objects("a", box(0, 0.9, 0, 0, 1, 1)));
        assertEquals(Optional.of(Task.DETECTION), comparison.task());
        TaskMismatchException e = assertThrows(TaskMismatchException.class, () -> comparison.addOld(top("b", 1)));
        assertEquals("old.jsonl holds classification results (b, model m) but topic images.yolox-nano holds"
                + " detection results: results of different tasks cannot be compared", e.getMessage());
        assertEquals(1, comparison.report().oldSide().keys(), "only x: the refused result was not added");
    }

    @Test
    void oneSideMayNotMixTasks() {
        comparison.addNew(objects("a"));
        TaskMismatchException e = assertThrows(TaskMismatchException.class, () -> comparison.addNew(top("b", 1)));
        assertEquals("topic images.yolox-nano mixes detection and classification results (b, model m):"
                + " results of different tasks cannot be compared", e.getMessage());
    }
}

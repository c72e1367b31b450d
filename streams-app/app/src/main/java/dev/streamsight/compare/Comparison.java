package dev.streamsight.compare;

import dev.streamsight.compare.ComparisonReport.SideSummary;
import dev.streamsight.model.Task;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the results of two models on the same inputs: results of the old (reference) model and of
 * the new one are added one at a time, in any order and interleaved as they arrive, and {@link #report()}
 * joins them on their key and computes the figures (see {@link ComparisonReport}). Errors are counted
 * per side, not compared. A later result for a key replaces the earlier one on that side ("last wins").
 *
 * <p>Both sides must be of one task. The first successful result (or {@link #expectTask}) fixes it, and
 * a result of the other task is refused with a {@link TaskMismatchException}; callers that know a side's
 * task before reading it (a loaded model, the first record of a topic) should declare it with
 * {@code expectTask} so that a mismatch is reported before any work.
 *
 * <p>Memory: the last result of every key on each side. {@code report()} may be called at any time, as
 * often as wanted (each call recomputes from the held results). Not thread-safe: one thread adds and
 * reports, or the caller synchronises.
 */
public final class Comparison {
    private final Map<Side, SideResults> sides = new EnumMap<>(Side.class);
    private Task task;

    /**
     * @param oldSource where the old results come from (a file, a topic), for the report and messages
     * @param newSource where the new results come from
     */
    public Comparison(String oldSource, String newSource) {
        sides.put(Side.OLD, new SideResults(Objects.requireNonNull(oldSource, "oldSource")));
        sides.put(Side.NEW, new SideResults(Objects.requireNonNull(newSource, "newSource")));
    }

    /**
     * Declares the task of a side's results before they are read.
     *
     * @throws TaskMismatchException when the other side is, or was declared, of another task
     */
    public void expectTask(Side side, Task expected) {
        Objects.requireNonNull(expected, "expected");
        checkTask(side, expected, "");
    }

    /** The task of the comparison so far: the first declared or successful result's; empty before. */
    public Optional<Task> task() {
        return Optional.ofNullable(task);
    }

    /**
     * Adds one result of a side.
     *
     * @throws TaskMismatchException when the result is of another task than the results before it
     */
    public void add(Side side, ModelResult result) {
        if (result.task() != null) {
            checkTask(side, result.task(), " (" + result.key()
                    + (result.model() == null ? "" : ", model " + result.model()) + ")");
        }
        sides.get(side).add(result);
    }

    /** {@code add(Side.OLD, result)}. */
    public void addOld(ModelResult result) {
        add(Side.OLD, result);
    }

    /** {@code add(Side.NEW, result)}. */
    public void addNew(ModelResult result) {
        add(Side.NEW, result);
    }

    /** The figures over the results added so far. */
    public ComparisonReport report() {
        SideResults older = sides.get(Side.OLD);
        SideResults newer = sides.get(Side.NEW);
        ClassificationTally classification = new ClassificationTally();
        DetectionTally detection = new DetectionTally();
        int joined = 0;
        int onlyOld = 0;
        for (Map.Entry<String, ModelResult> e : older.byKey.entrySet()) {
            ModelResult before = e.getValue();
            ModelResult after = newer.byKey.get(e.getKey());
            if (after == null) {
                onlyOld++;
            } else if (before instanceof ModelResult.Classified c && after instanceof ModelResult.Classified n) {
                classification.add(c, n);
                joined++;
            } else if (before instanceof ModelResult.Detected d && after instanceof ModelResult.Detected n) {
                detection.add(d, n);
                joined++;
            }
        }
        int onlyNew = (int) newer.byKey.keySet().stream().filter(k -> !older.byKey.containsKey(k)).count();
        return new ComparisonReport(task, older.summary(), newer.summary(), joined, onlyOld, onlyNew,
                task == Task.CLASSIFICATION ? classification.figures() : null,
                task == Task.DETECTION ? detection.figures() : null);
    }

    private void checkTask(Side side, Task offered, String what) {
        SideResults own = sides.get(side);
        if (task != null && task != offered) {
            String message = own.task != null
                    ? own.source + " mixes " + name(own.task) + " and " + name(offered) + " results" + what
                    : holds(Side.OLD, side, offered, what) + " but " + holds(Side.NEW, side, offered, what);
            throw new TaskMismatchException(message + ": results of different tasks cannot be compared");
        }
        task = offered;
        own.task = offered;
    }

    /** "SOURCE holds TASK results", naming the offending result on the side that offered it. */
    private String holds(Side described, Side offering, Task offered, String what) {
        boolean isOffering = described == offering;
        return sides.get(described).source + " holds " + name(isOffering ? offered : task) + " results"
                + (isOffering ? what : "");
    }

    private static String name(Task t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    /** One side's last result per key, in first-seen order, and what was read. */
    private static final class SideResults {
        final String source;
        final Map<String, ModelResult> byKey = new LinkedHashMap<>();
        final Set<String> models = new LinkedHashSet<>();
        Task task;
        int results;
        int duplicates;

        SideResults(String source) {
            this.source = source;
        }

        void add(ModelResult result) {
            results++;
            if (byKey.put(result.key(), result) != null) {
                duplicates++;
            }
            if (result.model() != null) {
                models.add(result.model());
            }
        }

        SideSummary summary() {
            int failed = (int) byKey.values().stream().filter(r -> r instanceof ModelResult.Failed).count();
            return new SideSummary(source, models.isEmpty() ? null : String.join(", ", models), results,
                    byKey.size(), failed, duplicates);
        }
    }
}

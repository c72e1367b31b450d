package dev.streamsight.compare;

import dev.streamsight.compare.ComparisonReport.ClassificationFigures;
import dev.streamsight.compare.ComparisonReport.LabelChange;
import dev.streamsight.postprocess.ScoredLabel;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sums the classification figures over joined pairs of results. Not thread-safe; one per report. */
final class ClassificationTally {
    static final int OVERLAP_DEPTH = 5;

    private record Change(String from, String to) {
    }

    /** Labels in dictionary order (case aside), then exactly: deterministic whatever the labels. */
    private static final Comparator<String> LABEL_ORDER = String.CASE_INSENSITIVE_ORDER
            .thenComparing(Comparator.naturalOrder());
    private static final Comparator<LabelChange> MOST_FREQUENT_FIRST = Comparator
            .comparingInt(LabelChange::count).reversed()
            .thenComparing(LabelChange::from, LABEL_ORDER)
            .thenComparing(LabelChange::to, LABEL_ORDER);

    private final Map<Change, Integer> changes = new HashMap<>();
    private int compared;
    private int agreed;
    private double overlapSum;
    private double scoreChangeSum;

    void add(ModelResult.Classified oldResult, ModelResult.Classified newResult) {
        compared++;
        overlapSum += overlap(oldResult.top(), newResult.top());
        ScoredLabel before = oldResult.first();
        ScoredLabel after = newResult.first();
        if (before.index() == after.index()) {
            agreed++;
            scoreChangeSum += (double) after.score() - before.score();
        } else {
            changes.merge(new Change(before.label(), after.label()), 1, Integer::sum);
        }
    }

    /** |old top-k &cap; new top-k| / k by label index, k = min(5, entries on either side). */
    static double overlap(List<ScoredLabel> before, List<ScoredLabel> after) {
        int k = Math.min(OVERLAP_DEPTH, Math.min(before.size(), after.size()));
        Set<Integer> oldIndices = new HashSet<>();
        for (ScoredLabel s : before.subList(0, k)) {
            oldIndices.add(s.index());
        }
        int shared = 0;
        for (ScoredLabel s : after.subList(0, k)) {
            if (oldIndices.remove(s.index())) {
                shared++;
            }
        }
        return (double) shared / k;
    }

    ClassificationFigures figures() {
        List<LabelChange> mostFrequent = changes.entrySet().stream()
                .map(e -> new LabelChange(e.getKey().from(), e.getKey().to(), e.getValue()))
                .sorted(MOST_FREQUENT_FIRST)
                .limit(ComparisonReport.MOST_FREQUENT_CHANGES)
                .toList();
        return new ClassificationFigures(agreed,
                compared == 0 ? null : (double) agreed / compared,
                compared == 0 ? null : overlapSum / compared,
                agreed == 0 ? null : scoreChangeSum / agreed,
                changes.size(), mostFrequent);
    }
}

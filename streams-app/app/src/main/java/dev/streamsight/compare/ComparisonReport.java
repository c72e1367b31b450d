package dev.streamsight.compare;

import dev.streamsight.model.Task;
import java.util.List;

/**
 * The figures of a {@link Comparison} at one moment. Immutable; {@link #toText()}, {@link #toJson()}
 * and {@link #toHtml()} render the same figures for a terminal, a program and a browser.
 *
 * <p>Keys are counted as follows: {@code joined} keys have a successful result on both sides and are
 * the only ones compared; {@code only_old} and {@code only_new} keys have a result (of any kind) on one
 * side only; {@code failed_old} and {@code failed_new} count the keys whose result on that side is an
 * error, whatever the other side has. A key seen several times on one side counts once, with its last
 * result; the earlier ones are counted as {@code duplicates}. Classes are told apart by label index.
 *
 * <p>The JSON object ({@link #toJson()}), one line, with these fields (ratios are 0..1; ratios and means
 * are rounded to six decimals; a figure with nothing to average over is {@code null}):
 * <ul>
 *   <li>{@code task}: {@code "classification"}, {@code "detection"}, or null when neither side has a
 *       successful result;</li>
 *   <li>{@code old}, {@code new}: {@code {"source", "model", "results", "keys", "duplicates"}}: where the
 *       side's results came from (file, topic), its model ids (comma-separated when several, null when
 *       none was named), how many results were read, how many distinct keys they have, and how many
 *       were replaced by a later result with the same key;</li>
 *   <li>{@code joined}, {@code only_old}, {@code only_new}, {@code failed_old}, {@code failed_new}: key
 *       counts as above;</li>
 *   <li>classification: {@code top1_agreement} (share of joined keys whose top-1 labels agree),
 *       {@code top1_agree_count}, {@code top5_overlap} (mean over joined keys of |old top-k &cap; new
 *       top-k| / k, k = min(5, entries on either side)), {@code mean_score_change} (mean of new score
 *       minus old score of the top-1 label, over the keys that agree), {@code label_changes} (the 20 most
 *       frequent top-1 changes, {@code [{"from", "to", "count"}]}, most frequent first, ties by old then
 *       new label, ignoring case and then exactly), {@code label_change_kinds} (how many distinct changes
 *       there are in all);</li>
 *   <li>detection, new results measured against the old ones as reference: {@code per_class}
 *       ({@code [{"index", "label", "old", "new", "matched"}]}, objects per class in joined images, by
 *       class index), {@code old_objects}, {@code new_objects}, {@code matched} (new boxes matched to an
 *       old box of the same class at IoU &ge; {@code iou_threshold}, 0.5: greedy per image and class, new
 *       boxes by descending score, each to the unmatched old box of highest IoU), {@code precision}
 *       (matched / new objects), {@code recall} (matched / old objects), {@code mean_iou} (of the matched
 *       pairs), {@code size_mismatches} (joined images whose width or height differ between the sides:
 *       their boxes are not comparable).</li>
 * </ul>
 *
 * @param task the task of both sides; null when neither has a successful result
 * @param classification the classification figures; null unless {@code task} is classification
 * @param detection the detection figures; null unless {@code task} is detection
 */
public record ComparisonReport(Task task, SideSummary oldSide, SideSummary newSide, int joined, int onlyOld,
        int onlyNew, ClassificationFigures classification, DetectionFigures detection) {

    /** The most frequent top-1 changes a report lists. */
    public static final int MOST_FREQUENT_CHANGES = 20;
    /** The IoU from which two boxes of one class are the same object. */
    public static final float IOU_THRESHOLD = 0.5f;

    /**
     * One side's inputs.
     *
     * @param source where the results came from (a file, a topic)
     * @param model the model ids seen, comma-separated; null when no result named one
     * @param results results read, duplicates included
     * @param keys distinct keys
     * @param failed keys whose (last) result is an error
     * @param duplicates results replaced by a later one with the same key
     */
    public record SideSummary(String source, String model, int results, int keys, int failed, int duplicates) {
    }

    /**
     * Classification figures over the joined keys.
     *
     * @param top1Agreement {@code agreeCount / joined}; null when nothing was joined
     * @param top5Overlap mean share of the top-k indices both sides give; null when nothing was joined
     * @param meanScoreChange mean new minus old score of the agreed top-1 label; null when none agree
     * @param labelChangeKinds distinct (old, new) top-1 changes, of which {@code labelChanges} has the
     *        most frequent
     */
    public record ClassificationFigures(int agreeCount, Double top1Agreement, Double top5Overlap,
            Double meanScoreChange, int labelChangeKinds, List<LabelChange> labelChanges) {
        public ClassificationFigures {
            labelChanges = List.copyOf(labelChanges);
        }
    }

    /** A top-1 label that became another, and on how many keys. */
    public record LabelChange(String from, String to, int count) {
    }

    /**
     * Detection figures over the joined images, the old side as reference.
     *
     * @param perClass object counts per class, by class index
     * @param precision {@code matched / newObjects}; null when the new side found nothing
     * @param recall {@code matched / oldObjects}; null when the old side found nothing
     * @param meanIou mean IoU of the matched pairs; null when none matched
     * @param sizeMismatches joined images whose sides give different image sizes
     */
    public record DetectionFigures(List<ClassCount> perClass, int oldObjects, int newObjects, int matched,
            Double precision, Double recall, Double meanIou, int sizeMismatches) {
        public DetectionFigures {
            perClass = List.copyOf(perClass);
        }
    }

    /** Objects of one class on each side, and how many of the new ones matched an old one. */
    public record ClassCount(int index, String label, int oldCount, int newCount, int matched) {
    }

    /** Plain text tables with aligned columns, for a terminal. */
    public String toText() {
        return TextReport.render(this);
    }

    /** The JSON object described above, on one line. */
    public String toJson() {
        return JsonReport.render(this);
    }

    /**
     * A self-contained HTML page (no external assets or scripts; every string from the data escaped)
     * with the figures and a bar chart of the label changes or of the objects per class.
     */
    public String toHtml() {
        return HtmlReport.render(this);
    }
}

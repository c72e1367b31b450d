package dev.streamsight.replay;

import dev.streamsight.topology.OffsetRange;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a replay has come, from its consumer group's committed offsets and the images still
 * pending, and its rendering: a one-line progress bar (events done / total, rate, ETA, dead letters)
 * for a terminal, or a plain line for a log. Confined to the thread that reports progress.
 */
public final class ReplayProgress {
    private final OffsetRange range;
    private final long startNanos = System.nanoTime();
    private long firstDone = -1;

    public ReplayProgress(OffsetRange range) {
        this.range = range;
    }

    /** Offsets of the range that are done: committed, minus the images still pending. */
    public long done(Map<TopicPartition, Long> committed, long pending) {
        long done = 0;
        for (var e : range.start().entrySet()) {
            long c = committed.getOrDefault(e.getKey(), e.getValue());
            done += Math.max(0, Math.min(c, range.end().get(e.getKey())) - e.getValue());
        }
        done = Math.max(0, done - pending);
        if (firstDone < 0) {
            firstDone = done; // a resumed replay's earlier work does not count towards this run's rate
        }
        return done;
    }

    /** Whether every partition's committed offset has reached the end of its range. */
    public boolean reachedEnd(Map<TopicPartition, Long> committed) {
        return range.end().entrySet().stream()
                .allMatch(e -> committed.getOrDefault(e.getKey(), range.start().get(e.getKey())) >= e.getValue());
    }

    /** One line: {@code [#####-----] 1200/2000 events  57.1/s  ETA 0:14  dead letters 3}. */
    public String line(long done, long deadLetters, boolean bar) {
        long total = range.size();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = Math.max(0, done - Math.max(0, firstDone)) / seconds;
        String eta = rate > 0 && done < total ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "-";
        String counts = String.format(Locale.ROOT, "%d/%d events  %.1f/s  ETA %s  dead letters %d", done, total, rate,
                eta, deadLetters);
        if (!bar) {
            return "replay progress: " + counts;
        }
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + counts;
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

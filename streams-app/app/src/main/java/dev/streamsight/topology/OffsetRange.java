package dev.streamsight.topology;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A bounded range of input records, per partition from {@code start} (inclusive) to {@code end}
 * (exclusive): what a replay processes. A partition that is not in the range has no records in it.
 * Immutable and thread-safe.
 */
public record OffsetRange(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
    public OffsetRange {
        start = Map.copyOf(start);
        end = Map.copyOf(end);
        if (!start.keySet().equals(end.keySet())) {
            throw new IllegalArgumentException("start and end name different partitions: " + start.keySet() + " vs "
                    + end.keySet());
        }
        for (var e : start.entrySet()) {
            if (e.getValue() < 0 || end.get(e.getKey()) < e.getValue()) {
                throw new IllegalArgumentException("invalid range for " + e.getKey() + ": [" + e.getValue() + ", "
                        + end.get(e.getKey()) + ")");
            }
        }
    }

    /** Whether the record at {@code offset} of the partition is in the range. */
    public boolean contains(String topic, int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        Long from = start.get(tp);
        return from != null && offset >= from && offset < end.get(tp);
    }

    /** Whether the record at {@code offset} is the last offset of its partition's range. */
    public boolean isLast(String topic, int partition, long offset) {
        Long to = end.get(new TopicPartition(topic, partition));
        return to != null && offset + 1 >= to;
    }

    /** Offsets in the range, over all partitions (transaction markers included, so an upper bound of events). */
    public long size() {
        return start.entrySet().stream().mapToLong(e -> end.get(e.getKey()) - e.getValue()).sum();
    }

    /** The range as one configuration value: {@code topic/partition/start/end} entries separated by spaces. */
    public String toConfigValue() {
        StringBuilder sb = new StringBuilder();
        start.forEach((tp, s) -> sb.append(sb.isEmpty() ? "" : " ").append(tp.topic()).append('/')
                .append(tp.partition()).append('/').append(s).append('/').append(end.get(tp)));
        return sb.toString();
    }

    /** The range written by {@link #toConfigValue()}. */
    public static OffsetRange fromConfigValue(String value) {
        Map<TopicPartition, Long> from = new java.util.HashMap<>();
        Map<TopicPartition, Long> to = new java.util.HashMap<>();
        for (String entry : value.trim().split(" +")) {
            int c = entry.lastIndexOf('/');
            int b = entry.lastIndexOf('/', c - 1);
            int a = entry.lastIndexOf('/', b - 1);
            if (a <= 0) {
                throw new IllegalArgumentException("not a topic/partition/start/end entry: " + entry);
            }
            TopicPartition tp = new TopicPartition(entry.substring(0, a), Integer.parseInt(entry.substring(a + 1, b)));
            from.put(tp, Long.parseLong(entry.substring(b + 1, c)));
            to.put(tp, Long.parseLong(entry.substring(c + 1)));
        }
        return new OffsetRange(from, to);
    }

    /** Per partition, in order, as {@code topic-p:[start,end)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<String, TopicPartition>(start.keySet().stream().collect(java.util.stream.Collectors.toMap(
                tp -> tp.topic() + String.format("-%05d", tp.partition()), tp -> tp))).values().forEach(tp -> {
                    if (!sb.isEmpty()) {
                        sb.append(", ");
                    }
                    sb.append(tp).append(":[").append(start.get(tp)).append(',').append(end.get(tp)).append(')');
                });
        return sb.toString();
    }
}

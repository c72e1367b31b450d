package dev.streamsight.replay;

import dev.streamsight.topology.OffsetRange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Where a replay starts and ends, as the user wrote it ({@code --from earliest|<ISO-8601
 * timestamp>|<partition:offset,...>}, {@code --until now|<ISO-8601 timestamp>}), and its resolution
 * against the input topic's offsets into an {@link OffsetRange}. The end is fixed at resolution:
 * records written later are not part of the replay. Offsets are read at the read_committed level,
 * so an open transaction's records are not counted in. Immutable.
 */
public record RangeSpec(String from, String until) {
    private static final long TIMEOUT_S = 30;

    public RangeSpec {
        from = from == null || from.isBlank() ? "earliest" : from.trim();
        until = until == null || until.isBlank() ? "now" : until.trim();
        parseFrom(from); // fail early on a malformed value
        parseUntil(until);
    }

    /** A parsed {@code --from}: a timestamp, explicit offsets per partition, or neither (earliest). */
    private record From(Instant timestamp, Map<Integer, Long> offsets) {
    }

    private static From parseFrom(String text) {
        if (text.equalsIgnoreCase("earliest")) {
            return new From(null, null);
        }
        if (text.matches("\\d+:\\d+(\\s*,\\s*\\d+:\\d+)*")) {
            Map<Integer, Long> offsets = new HashMap<>();
            for (String part : text.split("\\s*,\\s*")) {
                String[] po = part.split(":");
                try {
                    if (offsets.put(Integer.parseInt(po[0]), Long.parseLong(po[1])) != null) {
                        throw new ReplayException("--from: partition " + po[0] + " is named twice in '" + text + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new ReplayException("--from: '" + part + "' is not partition:offset", e);
                }
            }
            return new From(null, offsets);
        }
        return new From(timestamp("--from", text, "earliest, an ISO-8601 timestamp (2026-12-04T10:15:30Z) or"
                + " partition:offset,... (0:120,1:98)"), null);
    }

    private static Instant parseUntil(String text) {
        if (text.equalsIgnoreCase("now")) {
            return null;
        }
        return timestamp("--until", text, "now or an ISO-8601 timestamp (2026-12-04T10:15:30Z)");
    }

    private static Instant timestamp(String flag, String text, String expected) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ReplayException(flag + ": expected " + expected + "; got '" + text + "'", e2);
            }
        }
    }

    /**
     * The offsets of {@code topic} this spec names, read now.
     *
     * @throws ReplayException when the topic does not exist, or {@code --from} names a partition it lacks
     */
    public OffsetRange resolve(Admin admin, String topic) {
        List<TopicPartition> partitions = partitions(admin, topic);
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
        Instant untilTime = parseUntil(until);
        Map<TopicPartition, Long> end = untilTime == null ? latest
                : orLatest(offsets(admin, partitions, OffsetSpec.forTimestamp(untilTime.toEpochMilli())), latest);
        From f = parseFrom(from);
        Map<TopicPartition, Long> start;
        if (f.offsets() != null) {
            for (int p : f.offsets().keySet()) {
                if (partitions.stream().noneMatch(tp -> tp.partition() == p)) {
                    throw new ReplayException("--from: topic " + topic + " has no partition " + p + " (it has "
                            + partitions.size() + ")");
                }
            }
            // A partition not named has nothing to replay.
            start = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> f.offsets().containsKey(tp.partition())
                    ? f.offsets().get(tp.partition()) : end.get(tp)));
        } else if (f.timestamp() != null) {
            start = orLatest(offsets(admin, partitions, OffsetSpec.forTimestamp(f.timestamp().toEpochMilli())), latest);
        } else {
            start = earliest;
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long s = Math.min(Math.max(start.get(tp), earliest.get(tp)), latest.get(tp));
            long e = Math.max(s, Math.min(end.get(tp), latest.get(tp)));
            from.put(tp, s);
            to.put(tp, e);
        }
        return new OffsetRange(from, to);
    }

    /** The partitions of {@code topic}, in order. */
    static List<TopicPartition> partitions(Admin admin, String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ReplayException("topic " + topic + " does not exist");
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka cluster within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) {
        try {
            var result = admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, Long> m = new HashMap<>();
            result.forEach((tp, info) -> m.put(tp, info.offset()));
            return m;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list offsets: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka cluster within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A timestamp after a partition's last record gives -1: that partition's latest offset. */
    private static Map<TopicPartition, Long> orLatest(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> m = new HashMap<>(offsets);
        m.replaceAll((tp, o) -> o < 0 ? latest.get(tp) : o);
        return m;
    }
}

package dev.streamsight.replay;

import dev.streamsight.topology.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides what a replay does before it starts: its application id and output topics (derived from
 * the arguments unless given, so that the same command names the same replay), whether it resumes
 * or has already completed (its {@link ReplayManifest}), and the range of a new one. A new replay's
 * consumer group is positioned at the start of its range before Kafka Streams joins it. Used once,
 * from the starting thread.
 */
public final class ReplayPlanner {
    private static final long TIMEOUT_S = 30;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What the user asked for; {@code outputTopic} and {@code applicationId} may be null (derived). */
    public record Request(String inputTopic, String modelId, String modelSha256, RangeSpec range, String outputTopic,
            String applicationId) {
    }

    /** The replay to run: its manifest, and whether an earlier run of it started (resume) or finished. */
    public record Plan(ReplayManifest manifest, boolean resumed) {
    }

    private final Admin admin;
    private final ManifestStore store;
    private final Clock clock;

    public ReplayPlanner(Admin admin, ManifestStore store, Clock clock) {
        this.admin = admin;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The plan for {@code request}: the stored manifest of its application id when there is one (the
     * same model required), else a new manifest over the range resolved now, saved, with the consumer
     * group positioned at its start.
     *
     * @throws ReplayException for an unknown topic, an empty range, or an application id that belongs to
     *     another replay or application
     */
    public Plan plan(Request request) {
        String appId = request.applicationId() != null ? request.applicationId() : defaultApplicationId(request);
        Optional<ReplayManifest> stored = store.find(admin, appId);
        if (stored.isPresent()) {
            ReplayManifest m = stored.get();
            if (!m.inputTopic().equals(request.inputTopic()) || !m.modelSha256().equals(request.modelSha256())) {
                throw new ReplayException("application id " + appId + " is a replay of " + m.inputTopic() + " through "
                        + m.modelId() + " (sha256 " + m.modelSha256().substring(0, 12) + "); pass another"
                        + " --application-id for this one");
            }
            return new Plan(m, true);
        }
        RangeSpec.partitions(admin, request.inputTopic()); // an unknown topic fails here, with its name
        OffsetRange range = request.range().resolve(admin, request.inputTopic());
        if (range.size() == 0) {
            throw new ReplayException("the range " + request.range().from() + " .. " + request.range().until() + " of "
                    + request.inputTopic() + " holds no events (" + range + ")");
        }
        if (!committedOffsets(admin, appId).isEmpty()) {
            throw new ReplayException("the consumer group " + appId + " already has committed offsets but no replay"
                    + " manifest: it belongs to another application; pass another --application-id");
        }
        String output = request.outputTopic() != null ? request.outputTopic()
                : defaultOutputTopic(request.inputTopic(), request.modelId(), clock.instant());
        ReplayManifest m = new ReplayManifest(appId, request.inputTopic(), request.modelId(), request.modelSha256(),
                output, output + ".dlq", range, clock.instant(), null);
        store.save(m);
        position(appId, range);
        return new Plan(m, false);
    }

    /** {@code streamsight-replay-} and a hash of everything that makes two replays different. */
    static String defaultApplicationId(Request r) {
        String identity = String.join("\n", r.inputTopic(), r.modelSha256(), r.range().from(), r.range().until(),
                r.outputTopic() == null ? "" : r.outputTopic());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "streamsight-replay-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <input>.<model>.replay-<UTC timestamp>}, with characters Kafka does not allow replaced. */
    static String defaultOutputTopic(String input, String modelId, Instant now) {
        String name = input + "." + modelId.replaceAll("[^a-zA-Z0-9._-]", "_") + ".replay-" + STAMP.format(now);
        return name.length() <= 240 ? name : name.substring(name.length() - 240);
    }

    /** Commits the range's start offsets for the group, so that Kafka Streams starts there. */
    private void position(String groupId, OffsetRange range) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        range.start().forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        try {
            admin.alterConsumerGroupOffsets(groupId, offsets).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot position consumer group " + groupId + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka cluster within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The group's committed offsets (empty for a group that never committed). */
    public static Map<TopicPartition, Long> committedOffsets(Admin admin, String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            m.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + groupId + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka cluster within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

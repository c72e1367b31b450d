package dev.streamsight.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamsight.topology.OffsetRange;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a replay is, fixed when it first starts, so that running the same command again resumes the
 * same work: its application id, input topic, model (id and SHA-256), output topics, the offset
 * range resolved at the first start, and when it completed (null while it has not). Stored as JSON
 * in a compacted topic by {@link ManifestStore}. Immutable.
 */
public record ReplayManifest(String applicationId, String inputTopic, String modelId, String modelSha256,
        String outputTopic, String deadLetterTopic, OffsetRange range, Instant createdAt, Instant completedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** This manifest, marked complete at {@code when}. */
    public ReplayManifest completed(Instant when) {
        return new ReplayManifest(applicationId, inputTopic, modelId, modelSha256, outputTopic, deadLetterTopic, range,
                createdAt, when);
    }

    public boolean isComplete() {
        return completedAt != null;
    }

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("applicationId", applicationId).put("inputTopic", inputTopic).put("modelId", modelId)
                .put("modelSha256", modelSha256).put("outputTopic", outputTopic)
                .put("deadLetterTopic", deadLetterTopic).put("createdAt", createdAt.toString());
        if (completedAt != null) {
            n.put("completedAt", completedAt.toString());
        }
        ObjectNode partitions = n.putObject("range");
        range.start().forEach((tp, s) -> partitions.putArray(Integer.toString(tp.partition())).add(s)
                .add(range.end().get(tp)));
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ReplayManifest fromJson(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            String input = n.get("inputTopic").asText();
            Map<TopicPartition, Long> start = new HashMap<>();
            Map<TopicPartition, Long> end = new HashMap<>();
            n.get("range").properties().forEach(e -> {
                TopicPartition tp = new TopicPartition(input, Integer.parseInt(e.getKey()));
                start.put(tp, e.getValue().get(0).asLong());
                end.put(tp, e.getValue().get(1).asLong());
            });
            return new ReplayManifest(n.get("applicationId").asText(), input, n.get("modelId").asText(),
                    n.get("modelSha256").asText(), n.get("outputTopic").asText(), n.get("deadLetterTopic").asText(),
                    new OffsetRange(start, end), Instant.parse(n.get("createdAt").asText()),
                    n.hasNonNull("completedAt") ? Instant.parse(n.get("completedAt").asText()) : null);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable replay manifest: " + e.getMessage(), e);
        }
    }
}

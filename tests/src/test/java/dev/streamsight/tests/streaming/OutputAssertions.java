package dev.streamsight.tests.streaming;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.Timings;
import dev.streamsight.tests.streaming.StreamingIo.Expected;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Checks the committed output of the pipeline against what was sent: exactly one result per expected
 * (event, model), none for anything else, exactly one dead letter with the expected reason code per
 * bad record and none for good ones; each keyed by event id, carrying the input timestamp and
 * headers, with lineage pointing at the input record. Collects every violation before failing.
 */
final class OutputAssertions {
    /** The reason codes of records that could not be deserialized: they keep the raw value, no event. */
    static final java.util.Set<String> DESERIALIZE_CODES = java.util.Set.of("DESERIALIZATION_FAILED",
            "NOT_WIRE_FORMAT", "UNKNOWN_SCHEMA_ID", "SCHEMA_MISMATCH", "MALFORMED_AVRO");

    private final PipelineSettings settings;
    private final String input;
    private final boolean checkHeaders;
    private final List<String> problems = new ArrayList<>();

    OutputAssertions(PipelineSettings settings, String input, boolean checkHeaders) {
        this.settings = settings;
        this.input = input;
        this.checkHeaders = checkHeaders;
    }

    /** Whether every expected result and dead letter has been read at least once (for bounded polling). */
    static Predicate<List<Output>> complete(PipelineSettings settings, String input, List<Expected> expected) {
        Map<String, Long> wanted = new HashMap<>();
        for (Expected e : expected) {
            for (String m : e.resultModels()) {
                wanted.merge(settings.resultTopic(input, m), 1L, Long::sum);
            }
            if (e.deadLetterReason() != null) {
                wanted.merge(settings.deadLetterTopic(input), 1L, Long::sum);
            }
        }
        return outputs -> {
            Map<String, Long> have = outputs.stream()
                    .collect(Collectors.groupingBy(Output::topic, Collectors.mapping(Output::key,
                            Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
            return wanted.entrySet().stream().allMatch(w -> have.getOrDefault(w.getKey(), 0L) >= w.getValue());
        };
    }

    /** Verifies everything and throws one AssertionError listing every violation. */
    void verify(List<Output> outputs, List<Expected> expected) {
        Map<String, Expected> byId = new HashMap<>();
        for (Expected e : expected) {
            if (byId.put(e.id(), e) != null) {
                throw new IllegalArgumentException("test bug: id " + e.id() + " sent twice");
            }
        }
        for (String model : settings.models()) {
            String topic = settings.resultTopic(input, model);
            Map<String, List<Output>> byKey = group(outputs, topic);
            for (Expected e : expected) {
                int n = byKey.getOrDefault(e.id(), List.of()).size();
                int want = e.resultModels().contains(model) ? 1 : 0;
                if (n != want) {
                    problem("%s: %d results for event %s (expected %d; dead letter expected: %s)", topic, n,
                            e.id(), want, e.deadLetterReason());
                }
            }
            for (var entry : byKey.entrySet()) {
                Expected e = byId.get(entry.getKey());
                if (e == null) {
                    problem("%s: result keyed %s matches no event sent", topic, entry.getKey());
                    continue;
                }
                for (Output o : entry.getValue()) {
                    checkResult(o, e, model);
                }
            }
        }
        String dlq = settings.deadLetterTopic(input);
        Map<String, List<Output>> letters = group(outputs, dlq);
        for (Expected e : expected) {
            List<Output> got = letters.getOrDefault(e.id(), List.of());
            int want = e.deadLetterReason() == null ? 0 : 1;
            if (got.size() != want) {
                problem("%s: %d dead letters for %s (expected %d with %s); got reasons %s", dlq, got.size(), e.id(),
                        want, e.deadLetterReason(), got.stream().map(o -> ((DeadLetter) o.value()).getReasonCode())
                                .toList());
            }
            for (Output o : got) {
                checkDeadLetter(o, e);
            }
        }
        for (String key : letters.keySet()) {
            if (!byId.containsKey(key)) {
                problem("%s: dead letter keyed %s matches no record sent", dlq, key);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) in the committed output:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(60, problems.size()))));
        }
    }

    private static Map<String, List<Output>> group(List<Output> outputs, String topic) {
        Map<String, List<Output>> m = new HashMap<>();
        for (Output o : outputs) {
            if (o.topic().equals(topic)) {
                m.computeIfAbsent(String.valueOf(o.key()), k -> new ArrayList<>()).add(o);
            }
        }
        return m;
    }

    private void checkResult(Output o, Expected e, String model) {
        String where = o.topic() + "@" + o.partition() + "/" + o.offset() + " (" + e.id() + ")";
        String eventId;
        Lineage lineage;
        Timings timings;
        String modelId;
        switch (o.value()) {
            case ClassificationResult c -> {
                eventId = c.getEventId();
                lineage = c.getLineage();
                timings = c.getTimings();
                modelId = c.getModel().getId();
                if (c.getLabels().size() != 5) {
                    problem("%s: %d labels, expected top-5", where, c.getLabels().size());
                }
                if (c.getImageSize().getWidth() <= 0 || c.getImageSize().getHeight() <= 0) {
                    problem("%s: image size %s", where, c.getImageSize());
                }
            }
            case DetectionResult d -> {
                eventId = d.getEventId();
                lineage = d.getLineage();
                timings = d.getTimings();
                modelId = d.getModel().getId();
                if (d.getImageSize().getWidth() <= 0 || d.getImageSize().getHeight() <= 0) {
                    problem("%s: image size %s", where, d.getImageSize());
                }
            }
            case null -> {
                problem("%s: null value", where);
                return;
            }
            default -> {
                problem("%s: unexpected value type %s", where, o.value().getClass());
                return;
            }
        }
        if (!e.id().equals(eventId)) {
            problem("%s: eventId %s differs from the key", where, eventId);
        }
        if (!model.equals(modelId)) {
            problem("%s: model %s in the results topic of %s", where, modelId, model);
        }
        checkEnvelope(where, o, e, lineage);
        if (timings == null || timings.getBatchSize() < 1 || timings.getInferenceMs() <= 0
                || timings.getQueueWaitMs() < 0 || timings.getDecodeMs() <= 0 || timings.getFetchMs() < 0) {
            problem("%s: implausible timings %s", where, timings);
        }
    }

    private void checkDeadLetter(Output o, Expected e) {
        String where = o.topic() + "@" + o.partition() + "/" + o.offset() + " (" + e.id() + ")";
        if (!(o.value() instanceof DeadLetter dl)) {
            problem("%s: not a DeadLetter: %s", where, o.value());
            return;
        }
        if (!Objects.equals(e.deadLetterReason(), dl.getReasonCode())) {
            problem("%s: reason %s, expected %s (stage %s: %s)", where, dl.getReasonCode(), e.deadLetterReason(),
                    dl.getStage(), dl.getMessage());
        }
        if (dl.getMessage() == null || dl.getMessage().isBlank() || dl.getStage() == null) {
            problem("%s: no message or stage", where);
        }
        if (DESERIALIZE_CODES.contains(e.deadLetterReason())) {
            if (dl.getEvent() != null || dl.getRawValue() == null) {
                problem("%s: a deserialization failure must keep the raw value and no event", where);
            }
        } else if (dl.getEvent() != null && !dl.getEvent().getId().isBlank() && !e.id().equals(dl.getEvent().getId())) {
            problem("%s: dead letter event id %s", where, dl.getEvent().getId());
        }
        checkEnvelope(where, o, e, dl.getLineage());
    }

    private void checkEnvelope(String where, Output o, Expected e, Lineage lineage) {
        if (o.timestamp() != e.timestamp()) {
            problem("%s: timestamp %d, input had %d", where, o.timestamp(), e.timestamp());
        }
        if (lineage == null || !e.topic().equals(lineage.getTopic()) || lineage.getPartition() != e.partition()
                || lineage.getOffset() != e.offset()) {
            problem("%s: lineage %s, input was %s-%d@%d", where, lineage, e.topic(), e.partition(), e.offset());
        }
        if (checkHeaders && !sameHeaders(o.headers(), e.headers())) {
            problem("%s: headers %s, input had %s", where, show(o.headers()), show(e.headers()));
        }
    }

    private static boolean sameHeaders(Headers a, Headers b) {
        Header[] x = a.toArray();
        Header[] y = b.toArray();
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!x[i].key().equals(y[i].key()) || !Arrays.equals(x[i].value(), y[i].value())) {
                return false;
            }
        }
        return true;
    }

    private static String show(Headers h) {
        return Arrays.stream(h.toArray()).map(x -> x.key() + "=" + (x.value() == null ? "null"
                : new String(x.value(), java.nio.charset.StandardCharsets.UTF_8))).toList().toString();
    }

    private void problem(String format, Object... args) {
        problems.add(String.format(format, args));
    }
}

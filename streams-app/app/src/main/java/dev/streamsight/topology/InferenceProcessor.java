package dev.streamsight.topology;

import dev.streamsight.ReasonCode;
import dev.streamsight.StreamsightException;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.PendingHeader;
import dev.streamsight.avro.PendingImage;
import dev.streamsight.avro.Timings;
import dev.streamsight.fetch.FetchInterruptedException;
import dev.streamsight.fetch.UriText;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.DetectionResult;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.Prediction;
import dev.streamsight.inference.StageTimings;
import dev.streamsight.model.Task;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches image events per task and runs them through the models.
 *
 * <p>Every event is first written to a changelogged pending store, so an event whose input offset
 * has been committed is never only in memory: after a crash the restored store still holds it.
 * The store is cached: it reaches the changelog when the task commits, so an event whose batch ran
 * before that costs one tombstone there and no put. The task also keeps its keys in memory, in key
 * order, with the entries of image references (small), so a flush reads back only inline images.
 * An event too large for the store's changelog topic is refused ({@code TOO_LARGE}) instead: the
 * changelog record would cost the transaction, again after every retry. When {@link BatchPolicy}
 * says so (batch size reached in {@link #process}, or max wait reached in the wall-clock
 * punctuator, which also flushes in a wave that another task of the same stream thread opened, and
 * then asks for a commit: {@link FlushWaves}), the pending events are fetched concurrently and
 * decoded once each at the largest size any model needs, in slices whose memory fits the instance's
 * decode budget ({@link SliceLoader}); each slice is run through every model its events ask for as
 * one batch per model, its results (or dead letters) are forwarded, and then the next slice is loaded. Then the store
 * entries are deleted. Under exactly_once_v2 the forwards, the store deletes and the input offsets
 * commit atomically.
 *
 * <p>One instance per task, used only by that task's stream thread (Kafka Streams' contract); the
 * shared {@link PipelineResources} and models are thread-safe.
 */
final class InferenceProcessor implements Processor<String, ImageEvent, String, SpecificRecord> {
    static final String STORE = "pending-images";
    static final String DLQ_CHILD = "dead-letters";
    private static final PendingImageSerde PENDING_SERDE = new PendingImageSerde();
    private static final Logger LOG = LoggerFactory.getLogger(InferenceProcessor.class);

    private final PipelineSettings settings;
    private final ModelSet models;
    private final PipelineResources resources;
    private final BatchPolicy policy;
    private final SliceLoader loader;
    /** The replay's range, or null for a live pipeline (every record, the models each event asks for). */
    private final OffsetRange range;
    private final RecordSizeLimits limits;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, PendingImage> store;
    /**
     * The store's keys of this task, in key (input) order, each with its entry when that is small (an
     * image reference), so that a flush need not read and deserialise it back; an inline image's entry
     * is null here and read back from the store, so the heap does not hold every task's pending images.
     */
    private final TreeMap<String, PendingImage> inMemory = new TreeMap<>();
    private long oldestArrival = Long.MAX_VALUE;
    /** The stream thread's waves of max-wait flushes, and the last this task flushed in (0 for none). */
    private final FlushWaves waves;
    private long lastWave;

    InferenceProcessor(PipelineSettings settings, ModelSet models, PipelineResources resources, OffsetRange range,
            RecordSizeLimits limits, FlushWaves waves) {
        this.settings = settings;
        this.waves = waves;
        this.range = range;
        this.limits = limits;
        this.models = models;
        this.resources = resources;
        this.policy = settings.batchPolicy();
        DecodeHint hint = null; // every image is decoded once for all models: what all of them need
        for (String id : models.ids()) {
            DecodeHint h = models.get(id).decodeHint();
            hint = hint == null ? h : hint.union(h);
        }
        this.loader = new SliceLoader(resources, hint == null ? DecodeHint.FULL_RESOLUTION : hint,
                settings.fetch().maxBytes());
    }

    static String resultChild(String model) {
        return "results-" + model;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        // Restored entries (after a crash or a rebalance) count as pending from now.
        try (KeyValueIterator<String, PendingImage> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                PendingImage p = kv.value;
                inMemory.put(kv.key, kept(p));
                oldestArrival = Math.min(oldestArrival, p.getArrivedAtMs());
            }
        }
        resources.pendingChanged(inMemory.size());
        resources.taskInitialized(context.taskId().partition(), true);
        context.schedule(policy.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            long wave = waves.flushWave(policy.shouldFlush(inMemory.size(), oldestArrival, now), !inMemory.isEmpty(),
                    lastWave, now);
            if (wave != 0) {
                lastWave = wave;
                flush();
                // The thread's tasks flushed in this pass leave in one transaction now, not at the next interval.
                context.commit();
            }
        });
    }

    @Override
    public void close() {
        // A closed task's pending images are no longer this instance's to run (a revocation, a shutdown).
        resources.taskInitialized(context.taskId().partition(), false);
        resources.pendingChanged(-inMemory.size());
        inMemory.clear();
    }

    @Override
    public void process(Record<String, ImageEvent> record) {
        RecordMetadata md = context.recordMetadata().orElseThrow();
        if (range != null && !range.contains(md.topic(), md.partition(), md.offset())) {
            return; // a replay reads past its range only because the consumer does; those are not its events
        }
        resources.metrics().eventIn(md.topic());
        Lineage lineage = new Lineage(md.topic(), md.partition(), md.offset());
        ImageEvent event = record.value();
        String invalid = validate(event);
        if (invalid != null) {
            forwardDeadLetter(record.key(), event, record.timestamp(), record.headers(), "INVALID_EVENT", invalid,
                    Stage.VALIDATE, lineage, null);
            return;
        }
        if (event.getImage() instanceof InlineImage inline
                && inline.getBytes().remaining() > settings.fetch().maxBytes()) {
            // Checked before the pending store, whose changelog would otherwise carry it.
            tooLarge(record, event, lineage, "the inline image has " + inline.getBytes().remaining()
                    + " bytes, over the " + settings.fetch().maxBytes() + "-byte limit (fetch.max.bytes)");
            return;
        }
        long now = context.currentSystemTimeMs();
        List<PendingHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new PendingHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
        }
        String key = storeKey(lineage);
        PendingImage p = new PendingImage(event, lineage, record.timestamp(), now, headers);
        String changelogTooLarge = changelogTooLarge(key, p);
        if (changelogTooLarge != null) {
            tooLarge(record, event, lineage, changelogTooLarge);
            return;
        }
        store.put(key, p);
        inMemory.put(key, kept(p));
        resources.pendingChanged(1);
        oldestArrival = Math.min(oldestArrival, now);
        boolean endOfRange = range != null && range.isLast(md.topic(), md.partition(), md.offset());
        if (endOfRange || policy.shouldFlush(inMemory.size(), oldestArrival, now)) {
            flush();
        }
    }

    private static String validate(ImageEvent event) {
        if (event == null) {
            return "the record has no value (a tombstone): an ImageEvent is expected";
        }
        if (event.getId() == null || event.getId().isBlank()) {
            return "the event has an empty id";
        }
        if (event.getImage() instanceof InlineImage inline && !inline.getBytes().hasRemaining()) {
            return "the event's inline image has no bytes";
        }
        if (event.getImage() instanceof ImageRef ref && (ref.getUri() == null || ref.getUri().isBlank())) {
            return "the event's image URI is empty";
        }
        return null;
    }

    /**
     * Why the pending record cannot be written to the store's changelog (its topic's limit), or null.
     * A refused changelog record would cost the transaction, and the same event would fail again
     * after every retry.
     */
    private String changelogTooLarge(String key, PendingImage p) {
        String topic = changelogTopic(context.applicationId());
        long limit = limits.limit(topic);
        if (limit == Long.MAX_VALUE) {
            return null;
        }
        long size = RecordSizeLimits.recordSize(key.length(), PENDING_SERDE.serializer().serialize(topic, p).length,
                null);
        return size <= limit ? null : "the event's pending record of " + size + " bytes does not fit the pending"
                + " store's changelog topic " + topic + " (limit " + limit + " bytes: max.message.bytes, the"
                + " producer's max.request.size)";
    }

    /** The changelog topic of the pending store under {@code applicationId}. */
    static String changelogTopic(String applicationId) {
        return applicationId + "-" + STORE + "-changelog";
    }

    /**
     * A {@code TOO_LARGE} event's dead letter leaves its inline image out: that is what made the event
     * too large, and a dead letter of the same size would not fit its topic either.
     */
    private void tooLarge(Record<String, ImageEvent> record, ImageEvent event, Lineage lineage, String why) {
        ImageEvent shown = ResultRecords.withoutImageBytes(event);
        forwardDeadLetter(record.key(), shown, record.timestamp(), record.headers(), ReasonCode.TOO_LARGE.name(),
                why + (shown == event ? "" : "; the image is left out of this dead letter"), Stage.VALIDATE,
                lineage, null);
    }

    /** What {@link #inMemory} keeps of a pending entry: all of it for an image reference, nothing for inline bytes. */
    private static PendingImage kept(PendingImage p) {
        return p.getEvent().getImage() instanceof InlineImage ? null : p;
    }

    /** Zero-padded so that the store iterates in input order within a partition. */
    private static String storeKey(Lineage l) {
        return String.format("%s/%010d/%019d", l.getTopic(), l.getPartition(), l.getOffset());
    }

    /** Runs every pending event and clears the store. */
    private void flush() {
        List<String> keys = new ArrayList<>(inMemory.keySet());
        List<PendingImage> batch = new ArrayList<>(keys.size());
        for (var e : inMemory.entrySet()) {
            batch.add(e.getValue() != null ? e.getValue() : store.get(e.getKey()));
        }
        long batchStart = context.currentSystemTimeMs();
        for (int from = 0; from < batch.size(); from += settings.batchSize()) {
            int to = Math.min(batch.size(), from + settings.batchSize());
            run(batch.subList(from, to), batchStart);
        }
        for (String key : keys) {
            // put(null), not delete: a delete reads and deserialises the old value only to return it
            store.put(key, null);
        }
        resources.pendingChanged(-inMemory.size());
        inMemory.clear();
        oldestArrival = Long.MAX_VALUE;
    }

    private void run(List<PendingImage> batch, long batchStart) {
        List<BatchItem> items = batch.stream().map(BatchItem::new).toList();
        loader.load(items, slice -> runSlice(slice, batchStart));
        reportUnknownModels(items);
    }

    /** Dead letters of the slice's failed images, then every model on the rest. */
    private void runSlice(List<BatchItem> slice, long batchStart) {
        for (BatchItem item : slice) {
            if (item.failed()) {
                deadLetter(item, item.failureCode(), item.failureMessage(), item.failureStage(), null);
            }
        }
        for (String modelId : models.ids()) {
            LoadedModel model = models.get(modelId);
            List<BatchItem> selected = slice.stream().filter(i -> !i.failed() && wants(i.event(), modelId)).toList();
            if (selected.isEmpty()) {
                continue;
            }
            for (BatchItem item : selected) {
                resources.metrics().queueWait(modelId, batchStart - item.pending.getArrivedAtMs());
            }
            List<ImageInput> inputs = selected.stream().map(i -> ImageInput.decoded(i.image)).toList();
            List<? extends Prediction<?>> out;
            try {
                out = model.task() == Task.CLASSIFICATION
                        ? resources.classifier(model).run(inputs)
                        : resources.detector(model).run(inputs);
            } catch (RuntimeException e) {
                // A failure the engine did not attribute to one image (native, or a bug) fails this
                // model's images of the batch, as dead letters; the stream goes on.
                for (BatchItem item : selected) {
                    deadLetter(item, ReasonCode.INFERENCE_FAILED.name(), "model " + modelId + " failed on a batch of "
                            + selected.size() + ": " + e, Stage.INFERENCE, model);
                }
                continue;
            }
            for (int i = 0; i < selected.size(); i++) {
                BatchItem item = selected.get(i);
                Prediction<?> p = out.get(i);
                if (!p.ok()) {
                    modelFailure(item, model, p.error());
                    continue;
                }
                SpecificRecord result;
                try {
                    result = resultRecord(item, model, p, batchStart);
                } catch (RuntimeException e) {
                    internalError(item, Stage.INFERENCE, e);
                    continue;
                }
                forwardResult(item, modelId, result);
            }
        }
    }

    private static SpecificRecord resultRecord(BatchItem item, LoadedModel model, Prediction<?> p, long batchStart) {
        Lineage lineage = item.pending.getLineage();
        Timings timings = timings(item, p, batchStart);
        return switch (p.value()) {
            case Classification c -> ResultRecords.classification(item.event(), lineage, model, c, timings);
            case DetectionResult d -> ResultRecords.detection(item.event(), lineage, model, d, timings);
            default -> throw new IllegalStateException("unexpected result " + p.value().getClass());
        };
    }

    /**
     * Whether a failure is the thread's, not the image's: an interruption or a shutdown. Such a
     * failure is not a dead letter; the task stops and its uncommitted work is replayed.
     */
    static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InterruptedException || c instanceof FetchInterruptedException
                    || c instanceof java.util.concurrent.RejectedExecutionException
                    || c instanceof CancellationException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    /** A failure no reason code describes (a defect met on this image): its dead letter says what and where. */
    private void internalError(BatchItem item, Stage stage, Throwable e) {
        deadLetter(item, ReasonCode.INTERNAL_ERROR.name(), BatchItem.internalErrorMessage(e, stage), stage, null);
    }

    /** An event that names a model this application does not run gets one dead letter per such model. */
    private void reportUnknownModels(List<BatchItem> items) {
        for (BatchItem item : items) {
            List<String> asked = item.event().getModels();
            if (item.failed() || asked == null || range != null) {
                continue;
            }
            for (String id : asked) {
                if (models.find(id).isEmpty()) {
                    deadLetter(item, "UNKNOWN_MODEL", "the event asks for model '" + UriText.escaped(id)
                            + "', which this application does not run (it runs " + models.ids() + ")",
                            Stage.VALIDATE, null);
                }
            }
        }
    }

    /** A replay runs its model on every event of the range; a live pipeline what each event asks for. */
    private boolean wants(ImageEvent event, String model) {
        return range != null || event.getModels() == null || event.getModels().isEmpty() || event.getModels().contains(model);
    }

    private static Timings timings(BatchItem item, Prediction<?> p, long batchStart) {
        StageTimings t = p.timings();
        return new Timings((double) Math.max(0, batchStart - item.pending.getArrivedAtMs()), item.fetchMs,
                item.decodeMs + t.preprocessNanos() / 1e6, t.inferenceNanos() / 1e6, t.batchSize());
    }

    private void modelFailure(BatchItem item, LoadedModel model, StreamsightException e) {
        Stage stage = e.code() == ReasonCode.INFERENCE_FAILED ? Stage.INFERENCE : Stage.DECODE;
        deadLetter(item, e.code().name(), e.getMessage(), stage, model);
    }

    private void forwardResult(BatchItem item, String model, SpecificRecord value) {
        context.forward(new Record<String, SpecificRecord>(item.event().getId(), value,
                item.pending.getTimestamp(), headers(item.pending)), resultChild(model));
        resources.metrics().resultOut(model);
    }

    private void deadLetter(BatchItem item, String code, String message, Stage stage, LoadedModel model) {
        forwardDeadLetter(item.event().getId(), item.event(), item.pending.getTimestamp(), headers(item.pending),
                code, message, stage, item.pending.getLineage(), model);
    }

    /**
     * Keyed by the event id; an invalid event (a tombstone, an empty id) has none, so its dead letter keeps
     * the input record's key, as the deserialization handler does for records that are not events at all.
     */
    private void forwardDeadLetter(String recordKey, ImageEvent event, long timestamp, Headers headers, String code,
            String message, Stage stage, Lineage lineage, LoadedModel model) {
        String key = event != null && event.getId() != null && !event.getId().isBlank() ? event.getId() : recordKey;
        SpecificRecord dl = ResultRecords.deadLetter(event, null, code, message, stage, lineage,
                model == null ? null : ResultRecords.modelRef(model));
        context.forward(new Record<String, SpecificRecord>(key, dl, timestamp, headers), DLQ_CHILD);
        resources.deadLetterForwarded();
        resources.metrics().deadLetter(code);
        RecordLog.fields(LOG.atWarn(), event == null ? null : event.getId(), lineage.getTopic(),
                lineage.getPartition(), lineage.getOffset())
                .log("dead letter {} at stage {}{}: {}", code, stage.id(),
                        model == null ? "" : " (model " + model.id() + ")", message);
    }

    private static Headers headers(PendingImage p) {
        RecordHeaders h = new RecordHeaders();
        for (PendingHeader ph : p.getHeaders()) {
            byte[] v = null;
            if (ph.getValue() != null) {
                ByteBuffer b = ph.getValue().duplicate();
                v = new byte[b.remaining()];
                b.get(v);
            }
            h.add(ph.getKey(), v);
        }
        return h;
    }
}

package dev.streamsight.topology;

import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.DetectionResult;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.Prediction;
import dev.streamsight.observe.PipelineMetrics;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ConcurrentHashMap;
import dev.streamsight.postprocess.DetectionOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * What every task of a pipeline shares: the image fetcher and its I/O executor (virtual threads,
 * with at most {@code fetchConcurrency} fetches in flight), the decoder, the memory budget of the
 * images in flight ({@link DecodeBudget}), and the output settings.
 * Batches of the same model from different tasks are merged by a {@link CrossTaskBatcher}.
 * Created once per application instance; {@link #close()} stops the executor after the Kafka
 * Streams instance has stopped. Thread-safe.
 */
public final class PipelineResources implements AutoCloseable {
    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight;
    private final int topK;
    private final DetectionOptions detectionOptions;
    private final DecodeBudget decodeBudget;
    private final PipelineMetrics metrics;
    private final Map<String, CrossTaskBatcher<?>> batchers = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Set<Integer> initializedPartitions = ConcurrentHashMap.newKeySet();
    // Long enough for other stream threads' flushes to join, short next to a batch's inference.
    private static final long LINGER_MICROS = 2000;

    /** Resources with a decode memory budget of half the JVM's max heap (the default). */
    public PipelineResources(ImageFetcher fetcher, ImageDecoder decoder, int fetchConcurrency, int topK,
            DetectionOptions detectionOptions) {
        this(fetcher, decoder, fetchConcurrency, topK, detectionOptions, defaultDecodeMemory());
    }

    /**
     * @param decodeMemoryBytes the heap that fetched and decoded images may hold at once
     *     ({@code image.decode.memory})
     */
    public PipelineResources(ImageFetcher fetcher, ImageDecoder decoder, int fetchConcurrency, int topK,
            DetectionOptions detectionOptions, long decodeMemoryBytes) {
        this(fetcher, decoder, fetchConcurrency, topK, detectionOptions, decodeMemoryBytes, PipelineMetrics.noop());
    }

    /** @param metrics where the tasks report events, outputs and stage timings */
    public PipelineResources(ImageFetcher fetcher, ImageDecoder decoder, int fetchConcurrency, int topK,
            DetectionOptions detectionOptions, long decodeMemoryBytes, PipelineMetrics metrics) {
        if (topK < 1) {
            throw new IllegalArgumentException("top.k: must be >= 1, got " + topK);
        }
        this.fetcher = fetcher;
        this.decoder = decoder;
        this.inFlight = new Semaphore(fetchConcurrency);
        this.topK = topK;
        this.detectionOptions = detectionOptions;
        this.decodeBudget = new DecodeBudget(decodeMemoryBytes);
        this.metrics = metrics;
    }

    /** The default decode memory budget: half the JVM's max heap. */
    public static long defaultDecodeMemory() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** Fetched bytes and how long the fetch itself took (not counting the wait for a slot). */
    record Fetched(byte[] bytes, long nanos) {
    }

    Future<Fetched> fetchAsync(String uri) {
        return io.submit(() -> {
            inFlight.acquire();
            try {
                long t0 = System.nanoTime();
                byte[] bytes = fetcher.fetch(uri);
                long nanos = System.nanoTime() - t0;
                metrics.fetched(nanos);
                return new Fetched(bytes, nanos);
            } finally {
                inFlight.release();
            }
        });
    }

    /** How long a flush waits for one fetch before giving it up (every attempt and back-off). */
    java.time.Duration fetchDeadline() {
        return fetcher.maxDuration().plusSeconds(1);
    }

    /** The cross-task batcher of a classifier (one per model, created on first use). */
    @SuppressWarnings("unchecked")
    CrossTaskBatcher<Classification> classifier(LoadedModel model) {
        return (CrossTaskBatcher<Classification>) batchers.computeIfAbsent(model.id(), id ->
                new CrossTaskBatcher<Classification>(timed(model, in -> model.classify(in, topK)),
                        model.batchCapacity(), lingerFor(model)));
    }

    /** The cross-task batcher of a detector (one per model, created on first use). */
    @SuppressWarnings("unchecked")
    CrossTaskBatcher<DetectionResult> detector(LoadedModel model) {
        return (CrossTaskBatcher<DetectionResult>) batchers.computeIfAbsent(model.id(), id ->
                new CrossTaskBatcher<DetectionResult>(timed(model, in -> model.detect(in, detectionOptions)),
                        model.batchCapacity(), lingerFor(model)));
    }

    /** The engine call, reporting its batch size and duration. */
    private <T> Function<List<ImageInput>, List<Prediction<T>>> timed(LoadedModel model,
            Function<List<ImageInput>, List<Prediction<T>>> engine) {
        String provider = model.provider().id();
        return in -> {
            long t0 = System.nanoTime();
            List<Prediction<T>> out = engine.apply(in);
            metrics.inference(model.id(), provider, in.size(), System.nanoTime() - t0);
            return out;
        };
    }

    /** Where the tasks report (a no-op unless the instance exports metrics). */
    public PipelineMetrics metrics() {
        return metrics;
    }

    /** A model that takes one image per run gains nothing from merging: no linger for it. */
    private static long lingerFor(LoadedModel model) {
        return model.batchCapacity() > 1 ? LINGER_MICROS : 0;
    }

    /** Images waiting in this instance's pending stores, over all its tasks. */
    public long pendingImages() {
        return pending.get();
    }

    void pendingChanged(long delta) {
        pending.addAndGet(delta);
    }

    /** Dead letters this instance's processors have forwarded (aborted transactions included). */
    public long deadLettersForwarded() {
        return deadLetters.get();
    }

    void deadLetterForwarded() {
        deadLetters.incrementAndGet();
    }

    /**
     * Input partitions whose task is initialized here, its restored pending images counted in {@link
     * #pendingImages()} (tasks read one partition of each input topic).
     */
    public Set<Integer> initializedPartitions() {
        return Set.copyOf(initializedPartitions);
    }

    void taskInitialized(int partition, boolean open) {
        if (open) {
            initializedPartitions.add(partition);
        } else {
            initializedPartitions.remove(partition);
        }
    }

    ImageDecoder decoder() {
        return decoder;
    }

    DecodeBudget decodeBudget() {
        return decodeBudget;
    }

    /** The heap that fetched and decoded images may hold at once ({@code image.decode.memory}). */
    public long decodeMemoryBytes() {
        return decodeBudget.capacityBytes();
    }

    int topK() {
        return topK;
    }

    DetectionOptions detectionOptions() {
        return detectionOptions;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}

package dev.streamsight.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.streamsight.StreamsightException;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.Geometry;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.Preprocessor;
import dev.streamsight.image.RgbImage;
import dev.streamsight.inference.internal.BatchBufferPool;
import dev.streamsight.inference.internal.InputBinding;
import dev.streamsight.inference.internal.OrtRuntime;
import dev.streamsight.model.ModelDescriptor;
import dev.streamsight.model.Task;
import dev.streamsight.postprocess.ClassificationDecoder;
import dev.streamsight.postprocess.DetectionDecoder;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.postprocess.OutputTensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A model ready to run: one ONNX Runtime session plus its descriptor, labels, decoder and output
 * decoding. Created by {@link ModelLoader}; the caller owns it and must {@link #close()} it, which
 * releases the native session (idempotent).
 *
 * <p>Thread-safe: many threads may call {@link #classify} and {@link #detect} at once; they share
 * the session, which ONNX Runtime allows. Each call splits its images into batches of at most the
 * model's batch capacity (its fixed batch size, or {@link EngineOptions#maxBatchSize()} for a dynamic
 * batch dimension), decodes and preprocesses the next batch on other cores while the current one
 * runs (on the CPU, only while fewer calls than cores are in progress: with a call per core, each
 * caller prepares its own batches in turn), and writes pixels straight into the batch tensor's
 * direct buffer. One image's failure
 * (decode, preprocess) is reported in its own {@link Prediction}; an ONNX Runtime failure fails the
 * images of that batch only.
 */
public final class LoadedModel implements AutoCloseable {
    /** Largest input tensor of one batch (a direct buffer), so a large max batch size fails at load. */
    static final long MAX_BATCH_BYTES = 1L << 30;

    private final ModelDescriptor descriptor;
    private final ModelSignature signature;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final InputBinding input;
    private final List<String> labels;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final ClassificationDecoder classifier;
    private final DetectionDecoder detector;
    private final Path file;
    private final String sha256;
    private final int batchCapacity;
    private final BatchBufferPool buffers;
    private final DecodeHint decodeHint;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Calls of {@link #run} in progress, from any thread. */
    private final AtomicInteger running = new AtomicInteger();
    private final int cores = Runtime.getRuntime().availableProcessors();

    LoadedModel(ModelDescriptor descriptor, ModelSignature signature, OrtSession session,
            ExecutionProvider provider, InputBinding input, List<String> labels, ImageDecoder decoder,
            Preprocessor preprocessor, ClassificationDecoder classifier, DetectionDecoder detector,
            Path file, String sha256, EngineOptions options) {
        this.descriptor = descriptor;
        this.signature = signature;
        this.session = session;
        this.provider = provider;
        this.input = input;
        this.labels = List.copyOf(labels);
        this.decoder = decoder;
        this.preprocessor = preprocessor;
        this.classifier = classifier;
        this.detector = detector;
        this.file = file;
        this.sha256 = sha256;
        this.batchCapacity = input.fixedBatch() > 0 ? input.fixedBatch() : options.maxBatchSize();
        long batchBytes = (long) batchCapacity * input.imageElements() * input.bytesPerElement();
        if (batchBytes > MAX_BATCH_BYTES) {
            throw new ModelLoadException("model " + descriptor.id() + ": a batch of " + batchCapacity + " images of "
                    + input.width() + "x" + input.height() + " needs " + (batchBytes >> 20) + " MiB of tensor memory,"
                    + " over the " + (MAX_BATCH_BYTES >> 20) + " MiB limit; lower the max batch size");
        }
        this.buffers = new BatchBufferPool((int) batchBytes, 4);
        this.decodeHint = new DecodeHint(
                (int) Math.ceil(options.minDecodeRatio() * descriptor.preprocess().resizeTarget()),
                preprocessor.regionOfInterest());
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public String id() {
        return descriptor.id();
    }

    public Task task() {
        return descriptor.task();
    }

    public ModelSignature signature() {
        return signature;
    }

    /** The execution provider the session really runs on (after any allowed fallback). */
    public ExecutionProvider provider() {
        return provider;
    }

    public List<String> labels() {
        return labels;
    }

    /** The ONNX file loaded (for a gzipped model, the unpacked copy). */
    public Path file() {
        return file;
    }

    /** SHA-256 of the model file as found. */
    public String sha256() {
        return sha256;
    }

    /** Most images sent to the session in one run. */
    public int batchCapacity() {
        return batchCapacity;
    }

    /**
     * What the decoder is asked to keep for this model: the smallest image size, and the region
     * its preprocessing reads (a centre crop reads only part of each image).
     */
    public DecodeHint decodeHint() {
        return decodeHint;
    }

    /** Input element type: {@code FLOAT} or {@code FLOAT16}. */
    public String inputType() {
        return input.half() ? "FLOAT16" : "FLOAT";
    }

    /**
     * Classifies images; one prediction per input, in input order.
     *
     * @param topK classes per image (clamped to the number of classes)
     * @throws IllegalStateException if this model is a detector or closed
     */
    public List<Prediction<Classification>> classify(List<ImageInput> images, int topK) {
        requireTask(Task.CLASSIFICATION);
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1: " + topK);
        }
        return run(images, (slot, outputs) -> new Classification(
                classifier.topK(outputs.get(0).data(), topK), slot.image.sourceWidth(), slot.image.sourceHeight()));
    }

    /**
     * Detects objects; one prediction per input, in input order, boxes in source-image pixels.
     *
     * @throws IllegalStateException if this model is a classifier or closed
     */
    public List<Prediction<DetectionResult>> detect(List<ImageInput> images, DetectionOptions options) {
        requireTask(Task.DETECTION);
        return run(images, (slot, outputs) -> new DetectionResult(
                detector.decode(outputs, input.width(), input.height(), slot.geometry, labels, options),
                slot.image.sourceWidth(), slot.image.sourceHeight()));
    }

    /**
     * Runs one decoded image and returns the raw outputs (batch dimension removed), for inspection
     * tools and load-time checks.
     */
    public List<OutputTensor> rawOutputs(RgbImage image) {
        List<List<OutputTensor>> holder = new ArrayList<>();
        List<Prediction<Object>> p = run(List.of(ImageInput.decoded(image)), (slot, outputs) -> {
            holder.add(outputs);
            return Boolean.TRUE;
        });
        if (!p.get(0).ok()) {
            throw p.get(0).error();
        }
        return holder.get(0);
    }

    private void requireTask(Task task) {
        if (closed.get()) {
            throw new IllegalStateException("model " + id() + " is closed");
        }
        if (descriptor.task() != task) {
            throw new IllegalStateException("model " + id() + " is a " + descriptor.task().name().toLowerCase()
                    + " model, not " + task.name().toLowerCase());
        }
    }

    /** Decodes one image's outputs into a result. */
    private interface PostProcess<T> {
        T apply(Slot slot, List<OutputTensor> outputs);
    }

    /** One image placed in a batch tensor. */
    private static final class Slot {
        final int inputIndex;
        RgbImage image;
        Geometry geometry;
        long decodeNanos;
        long preprocessNanos;

        Slot(int inputIndex) {
            this.inputIndex = inputIndex;
        }
    }

    /** A batch whose pixels are in the buffer, ready for the session. */
    private record PreparedBatch(ByteBuffer buffer, List<Slot> slots) {
    }

    private <T> List<Prediction<T>> run(List<ImageInput> images, PostProcess<T> post) {
        if (closed.get()) {
            throw new IllegalStateException("model " + id() + " is closed");
        }
        @SuppressWarnings("unchecked")
        Prediction<T>[] results = new Prediction[images.size()];
        List<int[]> chunks = new ArrayList<>();
        for (int start = 0; start < images.size(); start += batchCapacity) {
            chunks.add(new int[] {start, Math.min(images.size(), start + batchCapacity)});
        }
        if (chunks.isEmpty()) {
            return List.of();
        }
        running.incrementAndGet();
        try {
            runChunks(images, chunks, post, results);
        } finally {
            running.decrementAndGet();
        }
        return Arrays.asList(results);
    }

    /**
     * Whether to prepare the next batch on another thread while this one runs on the engine. On the
     * CPU that helps only while a core has no caller of its own: once there are as many calls in
     * progress as cores (the stream threads, or {@code classify}'s workers, with a batch of one),
     * each keeps its core busy by decoding and inferring in turn, and a hand-off to the pool would
     * only add waits, and a third thread competing for two cores.
     */
    private boolean prepareAhead() {
        return provider != ExecutionProvider.CPU || running.get() < cores;
    }

    private <T> void runChunks(List<ImageInput> images, List<int[]> chunks, PostProcess<T> post,
            Prediction<T>[] results) {
        CompletableFuture<PreparedBatch> next = null;
        for (int c = 0; c < chunks.size(); c++) {
            PreparedBatch batch = next != null ? next.join() : prepareHere(images, chunks.get(c), results);
            next = c + 1 < chunks.size() && prepareAhead() ? prepareAsync(images, chunks.get(c + 1), results) : null;
            try {
                infer(batch, post, results);
            } catch (RuntimeException | Error e) {
                // The batch prepared ahead still holds a pooled buffer: give it back before failing.
                if (next != null) {
                    next.thenAccept(b -> buffers.release(b.buffer));
                }
                throw e;
            } finally {
                buffers.release(batch.buffer);
            }
        }
    }

    /**
     * Prepares on this thread. A failure that is no one image's (a defect, an {@link Error}) reaches the
     * caller as a {@link CompletionException}, as from a batch prepared on the pool: callers such as the
     * stream threads turn that into the batch's dead letters instead of dying.
     */
    private <T> PreparedBatch prepareHere(List<ImageInput> images, int[] range, Prediction<T>[] results) {
        try {
            return prepare(images, range, results, prepareAhead());
        } catch (RuntimeException | Error e) {
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        }
    }

    private <T> CompletableFuture<PreparedBatch> prepareAsync(List<ImageInput> images, int[] range,
            Prediction<T>[] results) {
        return CompletableFuture.supplyAsync(() -> prepare(images, range, results, true));
    }

    /** @param parallel its images on the pool too (a core is free for them); else on this thread, in turn */
    private <T> PreparedBatch prepare(List<ImageInput> images, int[] range, Prediction<T>[] results, boolean parallel) {
        int n = range[1] - range[0];
        Slot[] slots = new Slot[n];
        ByteBuffer buffer = buffers.acquire();
        // First decode every image (in parallel when a core is free for it), then give the survivors
        // consecutive slots.
        parallelIf(parallel, IntStream.range(0, n)).forEach(i -> {
            int index = range[0] + i;
            Slot slot = new Slot(index);
            long t0 = System.nanoTime();
            try {
                slot.image = switch (images.get(index)) {
                    case ImageInput.Encoded e -> decoder.decode(e.bytes(), decodeHint);
                    case ImageInput.Decoded d -> d.image();
                };
                slot.decodeNanos = System.nanoTime() - t0;
                slots[i] = slot;
            } catch (StreamsightException e) {
                results[index] = Prediction.failure(e, new StageTimings(System.nanoTime() - t0, 0, 0, 0, 0));
            }
        });
        List<Slot> ok = new ArrayList<>(n);
        for (Slot s : slots) {
            if (s != null) {
                ok.add(s);
            }
        }
        parallelIf(parallel, IntStream.range(0, ok.size())).forEach(i -> {
            Slot slot = ok.get(i);
            long t0 = System.nanoTime();
            int offset = i * input.imageElements();
            slot.geometry = input.half()
                    ? preprocessor.writeHalf(slot.image, buffer.asShortBuffer(), offset)
                    : preprocessor.write(slot.image, buffer.asFloatBuffer(), offset);
            slot.preprocessNanos = System.nanoTime() - t0;
        });
        return new PreparedBatch(buffer, ok);
    }

    private static IntStream parallelIf(boolean parallel, IntStream s) {
        return parallel ? s.parallel() : s;
    }

    private <T> void infer(PreparedBatch batch, PostProcess<T> post, Prediction<T>[] results) {
        List<Slot> slots = batch.slots;
        if (slots.isEmpty()) {
            return;
        }
        // A fixed-batch graph always gets its full batch; unused slots are zero.
        int batchSize = input.fixedBatch() > 0 ? input.fixedBatch() : slots.size();
        int elements = batchSize * input.imageElements();
        ByteBuffer bytes = batch.buffer.duplicate().order(batch.buffer.order());
        if (slots.size() < batchSize) {
            int used = slots.size() * input.imageElements() * input.bytesPerElement();
            int total = elements * input.bytesPerElement();
            for (int i = used; i < total; i++) {
                bytes.put(i, (byte) 0);
            }
        }
        long t0 = System.nanoTime();
        Map<Integer, List<OutputTensor>> perImage;
        try {
            perImage = session(bytes, elements, batchSize, slots.size());
        } catch (OrtException | RuntimeException e) {
            InferenceException error = new InferenceException("ONNX Runtime failed on a batch of "
                    + batchSize + " for model " + id() + ": " + e.getMessage(), e);
            long nanos = System.nanoTime() - t0;
            for (Slot s : slots) {
                results[s.inputIndex] = Prediction.failure(error,
                        new StageTimings(s.decodeNanos, s.preprocessNanos, nanos, 0, batchSize));
            }
            return;
        }
        long inferenceNanos = System.nanoTime() - t0;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            long p0 = System.nanoTime();
            try {
                T value = post.apply(s, perImage.get(i));
                results[s.inputIndex] = Prediction.success(value, new StageTimings(s.decodeNanos,
                        s.preprocessNanos, inferenceNanos, System.nanoTime() - p0, slots.size()));
            } catch (IllegalArgumentException e) {
                results[s.inputIndex] = Prediction.failure(new InferenceException(
                        "cannot decode the output of model " + id() + ": " + e.getMessage(), e),
                        new StageTimings(s.decodeNanos, s.preprocessNanos, inferenceNanos, 0, slots.size()));
            }
        }
    }

    /** Runs the session and splits every output into per-image tensors (batch dimension removed). */
    private Map<Integer, List<OutputTensor>> session(ByteBuffer bytes, int elements, int batchSize,
            int images) throws OrtException {
        long[] shape = input.shape(batchSize);
        OnnxTensor tensor;
        if (input.half()) {
            bytes.limit(elements * 2);
            tensor = OnnxTensor.createTensor(OrtRuntime.environment(), bytes, shape, OnnxJavaType.FLOAT16);
        } else {
            FloatBuffer fb = bytes.asFloatBuffer();
            fb.limit(elements);
            tensor = OnnxTensor.createTensor(OrtRuntime.environment(), fb, shape);
        }
        Map<Integer, List<OutputTensor>> perImage = new HashMap<>();
        for (int i = 0; i < images; i++) {
            perImage.put(i, new ArrayList<>());
        }
        try (tensor; OrtSession.Result result = session.run(Map.of(input.name(), tensor))) {
            for (Map.Entry<String, OnnxValue> entry : result) {
                if (!(entry.getValue() instanceof OnnxTensor out)) {
                    continue;
                }
                long[] outShape = out.getInfo().getShape();
                FloatBuffer data = out.getFloatBuffer();
                if (data == null) {
                    throw new OrtException("output " + entry.getKey() + " has non-float type "
                            + out.getInfo().type);
                }
                boolean batched = outShape.length > 0 && outShape[0] == batchSize;
                long[] itemShape = batched ? Arrays.copyOfRange(outShape, 1, outShape.length) : outShape;
                int per = batched ? data.remaining() / batchSize : data.remaining();
                if (!batched && images > 1) {
                    throw new OrtException("output " + entry.getKey() + " has shape "
                            + Arrays.toString(outShape) + " with no batch dimension of " + batchSize);
                }
                for (int i = 0; i < images; i++) {
                    float[] item = new float[per];
                    data.get(i * per, item);
                    perImage.get(i).add(new OutputTensor(entry.getKey(), itemShape, item));
                }
            }
        }
        return perImage;
    }

    /**
     * Decodes and preprocesses {@code images} once into an input tensor of {@code batchSize} images
     * (taking them in turn, again from the first when there are fewer), for running the session alone
     * on it many times (see {@link PreparedInput}).
     *
     * @throws IllegalArgumentException when the graph has a fixed batch other than {@code batchSize},
     *     or there is no image
     * @throws StreamsightException when an image cannot be decoded
     */
    public PreparedInput prepare(List<ImageInput> images, int batchSize) {
        if (closed.get()) {
            throw new IllegalStateException("model " + id() + " is closed");
        }
        if (images.isEmpty() || batchSize < 1) {
            throw new IllegalArgumentException("need at least one image and a batch size >= 1");
        }
        if (input.fixedBatch() > 0 && batchSize != input.fixedBatch()) {
            throw new IllegalArgumentException("model " + id() + " has a fixed batch of " + input.fixedBatch()
                    + ", not " + batchSize);
        }
        long bytes = (long) batchSize * input.imageElements() * input.bytesPerElement();
        if (bytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of " + batchSize + " needs " + (bytes >> 20) + " MiB");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.nativeOrder());
        for (int i = 0; i < batchSize; i++) {
            RgbImage image = switch (images.get(i % images.size())) {
                case ImageInput.Encoded e -> decoder.decode(e.bytes(), decodeHint);
                case ImageInput.Decoded d -> d.image();
            };
            int offset = i * input.imageElements();
            if (input.half()) {
                preprocessor.writeHalf(image, buffer.asShortBuffer(), offset);
            } else {
                preprocessor.write(image, buffer.asFloatBuffer(), offset);
            }
        }
        try {
            OnnxTensor tensor = input.half()
                    ? OnnxTensor.createTensor(OrtRuntime.environment(), buffer, input.shape(batchSize),
                            OnnxJavaType.FLOAT16)
                    : OnnxTensor.createTensor(OrtRuntime.environment(), buffer.asFloatBuffer(), input.shape(batchSize));
            return new PreparedInput(id(), session, input.name(), tensor, batchSize);
        } catch (OrtException e) {
            throw new InferenceException("cannot create the input tensor of " + id() + ": " + e.getMessage(), e);
        }
    }

    /** Closes the ONNX Runtime session. Idempotent; calls after close fail. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the session of " + id() + " failed", e);
            }
        }
    }
}

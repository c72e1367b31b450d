package dev.streamsight.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An input tensor decoded and preprocessed once, run through a model's session as many times as
 * asked: ONNX Runtime alone, without decoding, preprocessing or output decoding, which is what
 * {@code bench engine} times. Created by {@link LoadedModel#prepare}; the caller closes it (before
 * the model). Not thread-safe.
 */
public final class PreparedInput implements AutoCloseable {
    private final String modelId;
    private final OrtSession session;
    private final String inputName;
    private final OnnxTensor tensor;
    private final int batchSize;
    private final AtomicBoolean closed = new AtomicBoolean();

    PreparedInput(String modelId, OrtSession session, String inputName, OnnxTensor tensor, int batchSize) {
        this.modelId = modelId;
        this.session = session;
        this.inputName = inputName;
        this.tensor = tensor;
        this.batchSize = batchSize;
    }

    /** Images in the tensor. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Runs the session once on the tensor; the outputs are released unread.
     *
     * @throws InferenceException when ONNX Runtime fails
     */
    public void run() {
        if (closed.get()) {
            throw new IllegalStateException("prepared input of " + modelId + " is closed");
        }
        try (OrtSession.Result ignored = session.run(Map.of(inputName, tensor))) {
            // only the run is measured
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed on a batch of " + batchSize + " for model "
                    + modelId + ": " + e.getMessage(), e);
        }
    }

    /** Releases the tensor. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            tensor.close();
        }
    }
}

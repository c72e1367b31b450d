package dev.streamsight.inference;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How model sessions are created.
 *
 * @param provider requested execution provider
 * @param allowFallback when the provider cannot load, fall back to CPU with a warning instead of
 *     failing; off by default so a GPU deployment never silently runs on CPU
 * @param deviceId GPU ordinal for CUDA/TensorRT
 * @param intraOpThreads ONNX Runtime intra-op threads per session (0: ONNX Runtime's default)
 * @param maxBatchSize largest batch sent to a model with a dynamic batch dimension; with {@code tuneBatch},
 *     the largest batch the warm-up tries
 * @param tensorrtCacheDir where TensorRT engines are cached (built once per model and GPU)
 * @param minDecodeRatio a JPEG may be decoded at reduced DCT scale while its shorter side stays at
 *     least this many times the model's resize target (see {@link #DEFAULT_MIN_DECODE_RATIO})
 * @param tuneBatch choose the batch size of a model with a dynamic batch dimension when it loads:
 *     the one that runs fastest on this machine and provider, up to {@code maxBatchSize} (see
 *     {@link EngineBatchTuner}); otherwise every batch is up to {@code maxBatchSize}
 */
public record EngineOptions(ExecutionProvider provider, boolean allowFallback, int deviceId,
        int intraOpThreads, int maxBatchSize, Path tensorrtCacheDir, double minDecodeRatio, boolean tuneBatch) {

    public static final int DEFAULT_MAX_BATCH = 16;

    /**
     * The decoded image keeps at least twice the resize target, so that the antialiased resize
     * after the DCT-domain reduction keeps the model's answers (the top-1 agreement with a full
     * decode is measured by {@code bench preprocess}).
     */
    public static final double DEFAULT_MIN_DECODE_RATIO = 2.0;

    public EngineOptions {
        Objects.requireNonNull(provider, "provider");
        if (deviceId < 0) {
            throw new IllegalArgumentException("device id must be >= 0: " + deviceId);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0: " + intraOpThreads);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1: " + maxBatchSize);
        }
        if (!(minDecodeRatio >= 1.0)) {
            throw new IllegalArgumentException("min decode ratio must be >= 1: " + minDecodeRatio);
        }
        if (tensorrtCacheDir == null) {
            tensorrtCacheDir = Path.of(System.getProperty("java.io.tmpdir"), "streamsight-trt-cache");
        }
    }

    /** CPU, default threads, batches of up to {@value #DEFAULT_MAX_BATCH} (not tuned). */
    public static EngineOptions cpu() {
        return new EngineOptions(ExecutionProvider.CPU, false, 0, 0, DEFAULT_MAX_BATCH, null,
                DEFAULT_MIN_DECODE_RATIO, false);
    }

    public EngineOptions withProvider(ExecutionProvider p, boolean fallback) {
        return new EngineOptions(p, fallback, deviceId, intraOpThreads, maxBatchSize, tensorrtCacheDir, minDecodeRatio,
                tuneBatch);
    }

    /** Batches of up to {@code n}, not tuned. */
    public EngineOptions withMaxBatchSize(int n) {
        return new EngineOptions(provider, allowFallback, deviceId, intraOpThreads, n, tensorrtCacheDir, minDecodeRatio,
                false);
    }

    /** Batches of the size the warm-up finds fastest, up to {@code ceiling}. */
    public EngineOptions withTunedBatch(int ceiling) {
        return new EngineOptions(provider, allowFallback, deviceId, intraOpThreads, ceiling, tensorrtCacheDir,
                minDecodeRatio, true);
    }

    public EngineOptions withIntraOpThreads(int n) {
        return new EngineOptions(provider, allowFallback, deviceId, n, maxBatchSize, tensorrtCacheDir, minDecodeRatio,
                tuneBatch);
    }
}

package dev.streamsight.inference.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.ExecutionProvider;
import dev.streamsight.inference.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions on the requested execution provider.
 *
 * <p>A GPU provider that is not compiled into the loaded ONNX Runtime, or that fails to initialise
 * (no driver, no CUDA libraries), is a {@link ModelLoadException} unless
 * {@link EngineOptions#allowFallback()} is set, in which case the session runs on CPU and a warning
 * says so. Stateless; thread-safe.
 */
public final class SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    /** A created session and the provider it really runs on. */
    public record CreatedSession(OrtSession session, ExecutionProvider provider) {
    }

    private SessionFactory() {
    }

    public static CreatedSession create(Path modelFile, EngineOptions options) {
        ExecutionProvider requested = options.provider();
        if (requested != ExecutionProvider.CPU) {
            String problem = unavailableReason(requested);
            if (problem == null) {
                try {
                    return new CreatedSession(open(modelFile, options, requested), requested);
                } catch (OrtException | RuntimeException e) {
                    problem = requested.id() + " execution provider failed to initialise: " + e.getMessage();
                }
            }
            if (!options.allowFallback()) {
                throw new ModelLoadException(problem + " (set provider to cpu, or allow fallback to"
                        + " run on CPU instead)");
            }
            LOG.warn("{}; falling back to the CPU execution provider as allowed", problem);
        }
        try {
            return new CreatedSession(open(modelFile, options, ExecutionProvider.CPU), ExecutionProvider.CPU);
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime cannot load " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private static String unavailableReason(ExecutionProvider p) {
        EnumSet<OrtProvider> available = OrtRuntime.availableProviders();
        OrtProvider needed = p == ExecutionProvider.CUDA ? OrtProvider.CUDA : OrtProvider.TENSOR_RT;
        if (!available.contains(needed)) {
            return "the " + p.id() + " execution provider is not in this ONNX Runtime build (available: "
                    + available + "); build with -Pgpu for the onnxruntime_gpu artifact";
        }
        return null;
    }

    private static OrtSession open(Path modelFile, EngineOptions options, ExecutionProvider p)
            throws OrtException {
        OrtTensorRTProviderOptions trt = null;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            switch (p) {
                case CPU -> { }
                case CUDA -> so.addCUDA(options.deviceId());
                case TENSORRT -> {
                    createDirectories(options.tensorrtCacheDir());
                    trt = new OrtTensorRTProviderOptions(options.deviceId());
                    trt.add("trt_engine_cache_enable", "1");
                    trt.add("trt_engine_cache_path", options.tensorrtCacheDir().toString());
                    trt.add("trt_timing_cache_enable", "1");
                    so.addTensorrt(trt);
                    // Nodes TensorRT does not take run on CUDA rather than CPU.
                    so.addCUDA(options.deviceId());
                }
            }
            // The provider options must stay open until the session exists.
            return OrtRuntime.environment().createSession(modelFile.toString(), so);
        } finally {
            if (trt != null) {
                trt.close();
            }
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelLoadException("cannot create the TensorRT engine cache " + dir + ": " + e.getMessage(), e);
        }
    }
}

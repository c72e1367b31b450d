package dev.streamsight.inference.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;

/**
 * The JVM's single {@link OrtEnvironment}. ONNX Runtime allows one environment per process; it is
 * created on first use and lives until the JVM exits (it is never closed by Streamsight, because
 * other sessions may still use it).
 */
public final class OrtRuntime {
    private OrtRuntime() {
    }

    private static final class Holder {
        // ERROR level: ONNX Runtime warns once per initializer listed as a graph input (NanoDet,
        // SqueezeNet), which is harmless noise.
        static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(
                OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "streamsight");
    }

    public static OrtEnvironment environment() {
        return Holder.ENV;
    }

    /** Execution providers compiled into the loaded ONNX Runtime native library. */
    public static EnumSet<OrtProvider> availableProviders() {
        return OrtEnvironment.getAvailableProviders();
    }

    /** The ONNX Runtime version in use. */
    public static String version() {
        return environment().getVersion();
    }
}

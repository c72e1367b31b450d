package dev.streamsight.inference;

import java.util.Locale;

/** The ONNX Runtime execution provider a model session runs on. */
public enum ExecutionProvider {
    CPU,
    /** NVIDIA CUDA; needs the {@code onnxruntime_gpu} build ({@code -Pgpu}) and CUDA libraries. */
    CUDA,
    /** NVIDIA TensorRT, with CUDA for the nodes TensorRT does not take; engines are cached on disk. */
    TENSORRT;

    /** Parses {@code cpu}, {@code cuda} or {@code tensorrt} (any case). */
    public static ExecutionProvider parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("TRT")) {
            return TENSORRT;
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown execution provider '" + value
                    + "': expected cpu, cuda or tensorrt", e);
        }
    }

    /** Lower-case name as written in configuration and results. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

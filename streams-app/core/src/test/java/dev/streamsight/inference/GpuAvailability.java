package dev.streamsight.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

/** Capability gates for GPU tests: true only where the GPU build of ONNX Runtime is loaded. */
final class GpuAvailability {
    private GpuAvailability() {
    }

    static boolean cuda() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    static boolean tensorrt() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT);
    }
}

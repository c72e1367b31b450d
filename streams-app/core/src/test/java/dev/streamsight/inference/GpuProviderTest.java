package dev.streamsight.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CUDA and TensorRT sessions give the same answers as CPU. Runs only with the GPU build
 * ({@code -Pgpu}) on a machine with an NVIDIA GPU; skipped elsewhere.
 */
class GpuProviderTest {
    @TempDir
    Path cache;

    @Test
    void cudaMatchesCpu() {
        Assumptions.assumeTrue(GpuAvailability.cuda(), "needs onnxruntime_gpu and a CUDA device");
        assertSameTopOne(ExecutionProvider.CUDA);
    }

    @Test
    void tensorrtMatchesCpu() {
        Assumptions.assumeTrue(GpuAvailability.tensorrt(), "needs onnxruntime_gpu with TensorRT");
        assertSameTopOne(ExecutionProvider.TENSORRT);
    }

    private void assertSameTopOne(ExecutionProvider provider) {
        List<ImageInput> images = List.of(ImageInput.decoded(TestModels.photo("winml_hummingbird.jpg")),
                ImageInput.decoded(TestModels.photo("coco_000000000285_bear.jpg")));
        try (LoadedModel cpu = TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8");
             LoadedModel gpu = TestModels.loader(cache, EngineOptions.cpu().withProvider(provider, false))
                     .load("mobilenetv2-12-int8")) {
            assertEquals(provider, gpu.provider());
            var a = cpu.classify(images, 1);
            var b = gpu.classify(images, 1);
            for (int i = 0; i < images.size(); i++) {
                assertEquals(a.get(i).value().top().get(0).index(), b.get(i).value().top().get(0).index());
            }
        }
    }
}

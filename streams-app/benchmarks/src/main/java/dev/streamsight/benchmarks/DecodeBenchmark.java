package dev.streamsight.benchmarks;

import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.image.RgbImage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JPEG decoding of real photos, one photo per call, cycling through the set (so a score is the mean
 * over the set):
 * <ul>
 *   <li>{@code fastRegion}: the native libjpeg-turbo path as the pipeline drives it for a 224x224
 *       classifier: reduced DCT scale while the short side stays at least 512, and only the rows
 *       and columns under the centre crop;
 *   <li>{@code fastWhole}: the native path decoding whole images at full resolution;
 *   <li>{@code imageio}: the javax.imageio fallback (always whole images at full resolution).
 * </ul>
 * The setup fails when the native decoder is not available here, rather than timing the fallback twice.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX})
@State(Scope.Thread)
public class DecodeBenchmark {
    @Param({"imagenet-sample", "large"})
    public String photos;

    private List<byte[]> images;
    private int next;
    private ImageDecoder fast;
    private ImageDecoder fallback;
    private DecodeHint pipelineHint;

    @Setup
    public void setUp() {
        ImageDecoders.fastJpegUnavailableReason().ifPresent(why -> {
            throw new IllegalStateException("the native JPEG decoder is unavailable: " + why);
        });
        images = Fixtures.photos(photos);
        fast = ImageDecoders.standard(DecoderOptions.DEFAULTS);
        fallback = ImageDecoders.fallback(DecoderOptions.DEFAULTS);
        pipelineHint = ModelInputs.hint(Preprocessors.create(ModelInputs.CLASSIFY_224));
    }

    @Benchmark
    public RgbImage fastRegion() {
        return fast.decode(nextImage(), pipelineHint);
    }

    @Benchmark
    public RgbImage fastWhole() {
        return fast.decode(nextImage(), DecodeHint.FULL_RESOLUTION);
    }

    @Benchmark
    public RgbImage imageio() {
        return fallback.decode(nextImage(), DecodeHint.FULL_RESOLUTION);
    }

    private byte[] nextImage() {
        byte[] image = images.get(next);
        next = next + 1 == images.size() ? 0 : next + 1;
        return image;
    }
}

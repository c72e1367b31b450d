package dev.streamsight.benchmarks;

import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.Preprocessor;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.image.RgbImage;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resize and normalise: one decoded photo into one NCHW float32 slot of a direct, native-order
 * buffer (what ONNX Runtime reads), cycling through the set. The photos are decoded once, in setup,
 * as the pipeline decodes them for that model input (fast path, reduced DCT scale and region), so
 * this times exactly the work that follows the decoder.
 *
 * <p>The resampler picks its scalar or 512-bit vector passes once per JVM, so the two are separate
 * benchmarks with their own forks: {@code scalar} with {@code -Dstreamsight.vector=false}, {@code
 * vector} with {@code --add-modules jdk.incubator.vector}. The setup checks that the fork got the
 * passes its name says (the vector ones need AVX-512 VBMI) and fails otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PreprocessBenchmark {
    @Param({"imagenet-sample", "large"})
    public String photos;

    @Param({"classify-224", "detect-640"})
    public String input;

    private Preprocessor preprocessor;
    private List<RgbImage> decoded;
    private int next;
    private FloatBuffer tensor;

    @Setup
    public void setUp(BenchmarkParams params) {
        boolean wantVector = params.getBenchmark().endsWith(".vector");
        if (vectorPasses() != wantVector) {
            throw new IllegalStateException("this fork resamples with the " + (wantVector ? "scalar" : "vector")
                    + " passes, not the ones " + params.getBenchmark() + " times; see the 'Resampling:' log line");
        }
        PreprocessSpec spec = ModelInputs.spec(input);
        preprocessor = Preprocessors.create(spec);
        DecodeHint hint = ModelInputs.hint(preprocessor);
        ImageDecoder decoder = ImageDecoders.standard(DecoderOptions.DEFAULTS);
        decoded = Fixtures.photos(photos).stream().map(b -> decoder.decode(b, hint)).toList();
        tensor = ByteBuffer.allocateDirect(3 * spec.width() * spec.height() * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN,
            JvmArgs.HEAP_MAX, JvmArgs.SCALAR_PASSES})
    public void scalar(Blackhole sink) {
        write(sink);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN,
            JvmArgs.HEAP_MAX, JvmArgs.ADD_MODULES, JvmArgs.VECTOR_MODULE})
    public void vector(Blackhole sink) {
        write(sink);
    }

    private void write(Blackhole sink) {
        RgbImage image = decoded.get(next);
        next = next + 1 == decoded.size() ? 0 : next + 1;
        sink.consume(preprocessor.write(image, tensor, 0));
        sink.consume(tensor.get(0));
    }

    /**
     * Whether the resampler of this JVM uses its vector passes: the core decides once and keeps the
     * answer in a package-private flag, read here by reflection (the benchmarks run on the class path).
     */
    private static boolean vectorPasses() {
        try {
            Field f = Class.forName("dev.streamsight.image.internal.VectorCapability").getDeclaredField("AVAILABLE");
            f.setAccessible(true);
            return f.getBoolean(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot tell which resampling passes run: " + e, e);
        }
    }
}

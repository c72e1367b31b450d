package dev.streamsight.benchmarks;

import dev.streamsight.model.ScoreKind;
import dev.streamsight.postprocess.ClassificationDecoder;
import dev.streamsight.postprocess.ScoredLabel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A classifier's output over the 1000 ImageNet classes: {@code top5} is what the pipeline does per
 * image (softmax of the logits, the five best with their labels); {@code softmax} the softmax alone.
 * The logits are random but seeded, shaped like a confident ResNet's: noise around 0 and a few
 * related classes (the cats) well above it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX})
@State(Scope.Benchmark)
public class TopKBenchmark {
    private float[] logits;
    private ClassificationDecoder decoder;

    @Setup
    public void setUp() {
        List<String> labels = Fixtures.labels("imagenet_classes.txt");
        if (labels.size() != 1000) {
            throw new IllegalStateException("imagenet_classes.txt has " + labels.size() + " labels, not 1000");
        }
        SplittableRandom random = new SplittableRandom(1000);
        logits = new float[labels.size()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 1.5);
        }
        logits[281] += 11f; // tabby
        logits[282] += 9.5f; // tiger cat
        logits[285] += 8f; // Egyptian cat
        logits[287] += 5f; // lynx
        decoder = new ClassificationDecoder(ScoreKind.LOGITS, labels);
    }

    @Benchmark
    public List<ScoredLabel> top5() {
        return decoder.topK(logits, 5);
    }

    @Benchmark
    public float[] softmax() {
        return ClassificationDecoder.softmax(logits);
    }
}

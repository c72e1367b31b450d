package dev.streamsight.image.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM whether the resampler may use {@link VectorResampler}. It references
 * no {@code jdk.incubator.vector} type itself, so it loads on any JVM; the vector class is touched
 * only when all of these hold:
 * <ul>
 *   <li>the JVM was started with {@code --add-modules jdk.incubator.vector} (the launcher and the
 *       test run do this; an embedding application may leave it out and gets the scalar pass);
 *   <li>the processor has AVX-512 VBMI (Linux x86-64, read from {@code /proc/cpuinfo}), without
 *       which the JIT cannot compile the two-register byte permute to one instruction;
 *   <li>the JIT uses 512-bit vectors ({@code -XX:UseAVX=3}, the default on such processors);
 *   <li>the system property {@code streamsight.vector} is not {@code false}.
 * </ul>
 * Both passes compute the same integers, so the choice changes speed, never pixels. The decision
 * is made, and logged, when the class initialises; it is immutable afterwards.
 */
final class VectorCapability {
    private static final Logger LOG = LoggerFactory.getLogger(VectorCapability.class);
    private static final String MODULE = "jdk.incubator.vector";

    /** Whether {@link Resampler} uses {@link VectorResampler}. */
    static final boolean AVAILABLE = decide();

    private VectorCapability() {
    }

    private static boolean decide() {
        String why = unavailableBecause();
        if (why == null) {
            LOG.info("Resampling: 512-bit vector passes (jdk.incubator.vector, AVX-512 VBMI)");
            return true;
        }
        LOG.info("Resampling: scalar passes ({})", why);
        return false;
    }

    /** Why the vector passes cannot be used, or null if they can. */
    private static String unavailableBecause() {
        if ("false".equalsIgnoreCase(System.getProperty("streamsight.vector"))) {
            return "-Dstreamsight.vector=false";
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the JVM was started without --add-modules " + MODULE;
        }
        if (!hasVbmi()) {
            return "the processor has no AVX-512 VBMI";
        }
        try {
            return VectorResampler.nativeWidth() ? null : "the JIT does not use 512-bit vectors here";
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    /** Whether the first processor in {@code /proc/cpuinfo} lists {@code avx512vbmi} and {@code avx512bw}. */
    private static boolean hasVbmi() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> (l + " ").contains(" avx512vbmi ") && (l + " ").contains(" avx512bw "))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

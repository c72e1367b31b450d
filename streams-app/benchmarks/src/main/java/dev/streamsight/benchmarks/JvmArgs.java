package dev.streamsight.benchmarks;

/** The options of the forked benchmark JVMs, as the launcher and the tests start the application. */
final class JvmArgs {
    /** The core binds its native JPEG decoder through the FFM API. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** As the launcher and the tests: libraries on the class path may still use sun.misc.Unsafe. */
    static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    /** A fixed heap, so that GC sizing does not differ between forks. */
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";
    /** With {@link #VECTOR_MODULE}: lets the resampler use its vector passes ({@code jdk.incubator.vector}). */
    static final String ADD_MODULES = "--add-modules";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Forces the resampler's scalar passes even where the vector ones are available. */
    static final String SCALAR_PASSES = "-Dstreamsight.vector=false";

    private JvmArgs() {
    }
}

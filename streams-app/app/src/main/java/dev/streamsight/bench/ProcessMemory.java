package dev.streamsight.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's resident memory from Linux's {@code /proc/self/status}: the peak ({@code VmHWM})
 * since the start or since {@link #resetPeak()}, which writes {@code 5} to
 * {@code /proc/self/clear_refs} (Linux 4.0+), so that each benchmark of one run reports its own peak.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {
    }

    /** Peak resident set in bytes; empty where {@code /proc} is not there. */
    public static OptionalLong peakBytes() {
        return field("VmHWM:");
    }

    /** Current resident set in bytes. */
    public static OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    /** Resets the peak to the current resident set; false when the kernel does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Parses a {@code /proc/<pid>/status} line such as {@code VmHWM:   218340 kB} (package-visible for tests). */
    static OptionalLong parse(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong field(String name) {
        try {
            return parse(Files.readString(STATUS, StandardCharsets.US_ASCII), name);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

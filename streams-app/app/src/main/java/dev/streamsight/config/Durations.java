package dev.streamsight.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of the configuration and the command line: a number with a unit
 * ({@code 50ms}, {@code 2s}, {@code 1.5s}, {@code 5m}, {@code 1h}, {@code 1d}, also {@code 100 ms})
 * or ISO-8601 ({@code PT2S}, {@code PT0.1S}). A bare number is refused: its unit would be a guess.
 * Stateless and thread-safe.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @param key the configuration key or option, named in the error message
     * @throws ConfigException when the text is not a duration
     */
    public static Duration parse(String key, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new ConfigException(key, "a duration is needed, e.g. 100ms, 2s or PT2S");
        }
        if (t.startsWith("p") || t.startsWith("-p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, "'" + text + "' is not an ISO-8601 duration (e.g. PT2S)");
            }
        }
        Matcher m = SIMPLE.matcher(t);
        if (!m.matches()) {
            if (t.matches("\\d+(\\.\\d+)?")) {
                throw new ConfigException(key, "'" + text + "' has no unit; write e.g. " + t + "ms or " + t + "s");
            }
            throw new ConfigException(key, "'" + text + "' is not a duration (examples: 100ms, 2s, 5m, PT2S)");
        }
        double value = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            case "d" -> 86400e9;
            default -> throw new IllegalStateException(m.group(2));
        };
        double nanos = value * nanosPerUnit;
        if (nanos > Long.MAX_VALUE) {
            throw new ConfigException(key, "'" + text + "' is too long");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** A short human form: {@code 100ms}, {@code 1500ms}, {@code 2s}, {@code 5m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 || ms == 0) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}

package dev.streamsight.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark figure, the object of one {@code bench --json} line: always {@code mode},
 * {@code model}, {@code batch_size}, {@code threads} and {@code images_per_second}; for a run through
 * Kafka also {@code events}, {@code p50_ms}, {@code p95_ms}, {@code p99_ms} and {@code rss_mb}; then
 * what the mode adds. Doubles are rounded to 0.01 (NaN becomes null). Not thread-safe.
 */
public final class Measurement {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Measurement() {
    }

    public static Measurement of(String mode, String model, int batchSize, int threads, double imagesPerSecond) {
        Measurement m = new Measurement();
        m.put("mode", mode);
        m.put("model", model);
        m.put("batch_size", batchSize);
        m.put("threads", threads);
        m.put("images_per_second", imagesPerSecond);
        return m;
    }

    /** The fields of a run through Kafka: events, end-to-end latency percentiles and peak RSS. */
    public Measurement streaming(int events, Percentiles latencyMs, double rssMb) {
        put("events", events);
        put("p50_ms", latencyMs.percentile(50));
        put("p95_ms", latencyMs.percentile(95));
        put("p99_ms", latencyMs.percentile(99));
        put("rss_mb", rssMb);
        return this;
    }

    /** Adds (or replaces) a field; a double is rounded to 0.01. */
    public Measurement put(String key, Object value) {
        fields.put(key, value instanceof Double d ? round(d) : value);
        return this;
    }

    public String mode() {
        return (String) fields.get("mode");
    }

    public String model() {
        return (String) fields.get("model");
    }

    public double imagesPerSecond() {
        Object v = fields.get("images_per_second");
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    /** The fields in line order (read-only). */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 100.0) / 100.0;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}

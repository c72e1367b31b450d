package dev.streamsight.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The shape of a {@code bench --json} line, and the RSS figures it reads. */
class MeasurementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLineStartsWithTheCommonFieldsThenTheStreamingOnesThenTheModesOwn() throws Exception {
        Measurement m = Measurement.of("pipeline", "mobilenetv2-12-int8", 16, 2, 123.456)
                .streaming(4, Percentiles.of(10, 20, 30, 40), 512.3333)
                .put("load", "backlog")
                .put("batch_sizes_seen", Map.of("16", 4));
        assertEquals(List.of("mode", "model", "batch_size", "threads", "images_per_second", "events", "p50_ms",
                "p95_ms", "p99_ms", "rss_mb", "load", "batch_sizes_seen"), List.copyOf(m.fields().keySet()));
        JsonNode line = JSON.readTree(JSON.writeValueAsString(m.fields()));
        assertEquals("pipeline", line.get("mode").asText());
        assertEquals(16, line.get("batch_size").asInt());
        assertEquals(2, line.get("threads").asInt());
        assertEquals(123.46, line.get("images_per_second").asDouble());
        assertEquals(4, line.get("events").asInt());
        assertEquals(20.0, line.get("p50_ms").asDouble());
        assertEquals(40.0, line.get("p95_ms").asDouble());
        assertEquals(40.0, line.get("p99_ms").asDouble());
        assertEquals(512.33, line.get("rss_mb").asDouble());
        assertEquals(4, line.get("batch_sizes_seen").get("16").asInt());
        assertEquals(123.46, m.imagesPerSecond());
    }

    @Test
    void figuresThatDoNotExistBecomeNull() throws Exception {
        Measurement m = Measurement.of("pipeline", "m", 1, 1, Double.NaN).streaming(0, Percentiles.of(), Double.NaN);
        JsonNode line = JSON.readTree(JSON.writeValueAsString(m.fields()));
        assertEquals(true, line.get("images_per_second").isNull());
        assertEquals(true, line.get("p99_ms").isNull());
        assertNull(m.fields().get("rss_mb"));
    }

    @Test
    void parsesProcStatusInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  218340 kB\nVmRSS:\t   13536 kB\n";
        assertEquals(OptionalLong.of(218340L * 1024), ProcessMemory.parse(status, "VmHWM:"));
        assertEquals(OptionalLong.of(13536L * 1024), ProcessMemory.parse(status, "VmRSS:"));
        assertEquals(OptionalLong.empty(), ProcessMemory.parse(status, "VmSwap:"));
    }
}

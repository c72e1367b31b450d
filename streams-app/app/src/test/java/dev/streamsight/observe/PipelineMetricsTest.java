package dev.streamsight.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {

    @Test
    void everyMeterHasItsPrometheusName() {
        PipelineMetrics m = PipelineMetrics.prometheus();
        m.eventIn("images");
        m.eventIn("images");
        m.resultOut("mobilenetv2-12-int8");
        m.deadLetter("FETCH_FAILED");
        m.inference("mobilenetv2-12-int8", "cpu", 3, 5_000_000);
        m.queueWait("mobilenetv2-12-int8", 40);
        m.fetched(1_000_000);
        m.decoded(2_000_000);
        m.modelInfo("mobilenetv2-12-int8", "cpu", "12");
        Readiness r = new Readiness();
        m.bindReadiness(r);
        String scrape = m.scrape();
        for (String line : List.of(
                "streamsight_events_in_total{topic=\"images\"} 2.0",
                "streamsight_results_out_total{model=\"mobilenetv2-12-int8\"} 1.0",
                "streamsight_dead_letters_total{reason=\"FETCH_FAILED\"} 1.0",
                "streamsight_batch_size_count{model=\"mobilenetv2-12-int8\"} 1",
                "streamsight_batch_size_bucket{model=\"mobilenetv2-12-int8\",le=\"4.0\"} 1",
                "streamsight_batch_size_bucket{model=\"mobilenetv2-12-int8\",le=\"2.0\"} 0",
                "streamsight_inference_seconds_count{model=\"mobilenetv2-12-int8\",provider=\"cpu\"} 1",
                "streamsight_queue_wait_seconds_count{model=\"mobilenetv2-12-int8\"} 1",
                "streamsight_queue_wait_seconds_sum{model=\"mobilenetv2-12-int8\"} 0.04",
                "streamsight_fetch_seconds_count 1",
                "streamsight_decode_seconds_count 1",
                "streamsight_model_info{model=\"mobilenetv2-12-int8\",provider=\"cpu\",version=\"12\"} 1",
                "streamsight_ready 0.0")) {
            assertTrue(scrape.contains(line + "\n"), line + " in\n" + scrape);
        }
        assertTrue(scrape.contains("streamsight_inference_seconds_bucket{model=\"mobilenetv2-12-int8\",provider=\"cpu\",le="),
                scrape);
        assertTrue(scrape.contains("streamsight_jvm_memory_used_bytes"), scrape);
        assertTrue(scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .allMatch(l -> l.startsWith("streamsight_")), scrape);
    }

    @Test
    void noopRecordsNothingAndHandlersFindTheInstance() {
        PipelineMetrics.noop().eventIn("images");
        assertEquals("", PipelineMetrics.noop().scrape());
        PipelineMetrics m = PipelineMetrics.prometheus();
        assertEquals(m, PipelineMetrics.from(Map.of(PipelineMetrics.CONFIG, m)));
        assertEquals(PipelineMetrics.noop(), PipelineMetrics.from(Map.of()));
    }
}

package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code models list} shows the catalog; {@code models info} describes real files. */
class ModelsCommandIT {

    @Test
    void listHasTheFixturesAndTheSeedArchitectures() {
        Cli.Run run = Cli.run("models", "list", "--json");
        assertEquals(0, run.exitCode(), run.err());
        Set<String> ids = run.jsonLines().stream().map(l -> l.get("id").asText()).collect(Collectors.toSet());
        for (String id : List.of("mobilenetv2-12-int8", "squeezenet1.0-fp16", "yolox-nano", "yolov8n-int8",
                "nanodet-m-416")) {
            assertTrue(ids.contains(id), id + " in " + ids);
        }
        assertTrue(ids.size() >= 30, "catalog size " + ids.size());
    }

    @Test
    void infoShowsInputsOutputsAndChecksum() {
        Cli.Run run = Cli.run("models", "info", "--json", "squeezenet1.0-fp16");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode info = run.jsonLines().get(0);
        assertEquals("21f25e3d9254af93e6218a359469fac714a017b3f9035c0f5c4acbf9a3ff7233", info.get("sha256").asText());
        assertEquals("data_0", info.get("inputs").get(0).get("name").asText());
        assertEquals("FLOAT16", info.get("inputs").get(0).get("type").asText());
        assertEquals("softmaxout_1", info.get("outputs").get(0).get("name").asText());
        assertEquals("cpu", info.get("provider").asText());
        assertEquals(1, info.get("batch").asInt());
    }

    @Test
    void infoDescribesAnUltralyticsExportFromItsMetadata() {
        Cli.Run run = Cli.run("models", "info", "--json", Shared.DIR.resolve("models/yolov8n_int8.onnx").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode info = run.jsonLines().get(0);
        assertEquals("detection", info.get("task").asText());
        assertEquals(80, info.get("labels").get("count").asInt());
        assertTrue(info.get("metadata").has("names"));
    }
}

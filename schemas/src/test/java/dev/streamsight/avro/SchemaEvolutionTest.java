package dev.streamsight.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the evolution rules of {@code schemas/EVOLUTION.md}: every topic schema must stay BACKWARD
 * compatible with its last released version, kept as {@code previous/<Name>-v<N>.avsc}.
 */
class SchemaEvolutionTest {

    /** Topic schemas and the last released version of each. Bump the version when releasing a change. */
    static Stream<Object[]> topicSchemas() {
        return Stream.of(
                new Object[] {"ImageEvent", ImageEvent.getClassSchema(), 1},
                new Object[] {"ClassificationResult", ClassificationResult.getClassSchema(), 1},
                new Object[] {"DetectionResult", DetectionResult.getClassSchema(), 1},
                new Object[] {"DeadLetter", DeadLetter.getClassSchema(), 1},
                new Object[] {"PendingImage", PendingImage.getClassSchema(), 1});
    }

    @ParameterizedTest(name = "{0} reads data written with v{2}")
    @MethodSource("topicSchemas")
    void currentSchemaIsBackwardCompatibleWithPreviousRelease(String name, Schema current, int previousVersion)
            throws IOException {
        Schema previous = previous(name, previousVersion);
        assertEquals(current.getFullName(), previous.getFullName(), "record renamed without alias");

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, previous);

        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                () -> name + " breaks BACKWARD compatibility: " + result.getResult().getIncompatibilities());
    }

    @ParameterizedTest(name = "{0} documents every record and field")
    @MethodSource("topicSchemas")
    void everyRecordAndFieldHasADoc(String name, Schema current, int ignored) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(current, undocumented, Collections.newSetFromMap(new IdentityHashMap<>()));
        assertTrue(undocumented.isEmpty(), () -> name + " lacks docs on " + undocumented);
    }

    @Test
    void checkerRejectsAFieldAddedWithoutDefault() throws IOException {
        Schema v1 = previous("ImageEvent", 1);
        Schema v2 = withExtraField(v1, "{\"name\":\"priority\",\"type\":\"int\",\"doc\":\"x\"}");

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(v2, v1);

        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
        assertTrue(result.getResult().getIncompatibilities().stream()
                .anyMatch(i -> i.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE
                        && i.getMessage().contains("priority")),
                () -> "unexpected incompatibilities " + result.getResult().getIncompatibilities());
    }

    @Test
    void checkerAcceptsTheSameFieldAddedWithDefault() throws IOException {
        Schema v1 = previous("ImageEvent", 1);
        Schema v2 = withExtraField(v1, "{\"name\":\"priority\",\"type\":\"int\",\"default\":0,\"doc\":\"x\"}");

        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType());
    }

    @Test
    void checkerRejectsANarrowedUnion() throws IOException {
        Schema v1 = previous("ImageEvent", 1);
        // Dropping the InlineImage branch: old events carrying inline bytes could no longer be read.
        String json = v1.toString();
        int inline = json.indexOf(",{\"type\":\"record\",\"name\":\"InlineImage\"");
        int end = json.indexOf("]}]", inline) + 2; // keep the union's closing bracket
        assertTrue(inline > 0 && end > inline, "test setup: InlineImage branch not found");
        Schema narrowed = new Schema.Parser().parse(json.substring(0, inline) + json.substring(end));

        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(narrowed, v1).getType());
    }

    @Test
    void checkerRejectsAFieldTypeChangedIncompatibly() throws IOException {
        Schema v1 = previous("ClassificationResult", 1);
        // A score narrowed from float to int cannot read the old floats.
        Schema changed = new Schema.Parser().parse(
                v1.toString().replace("{\"name\":\"score\",\"type\":\"float\"", "{\"name\":\"score\",\"type\":\"int\""));
        assertTrue(!changed.equals(v1), "test setup: score field not rewritten");

        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(changed, v1).getType());
    }

    private static Schema previous(String name, int version) throws IOException {
        // Topic schemas keep their snapshots here; the pending store's released schemas ship in the
        // jar (dev/streamsight/avro/released), because its serde must still read them at restore.
        String resource = name.equals("PendingImage")
                ? "/dev/streamsight/avro/released/" + name + "-v" + version + ".avsc"
                : "/previous/" + name + "-v" + version + ".avsc";
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing snapshot " + resource + ": keep the released version of every topic schema");
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Schema withExtraField(Schema record, String fieldJson) {
        String json = record.toString();
        // The top-level record's fields array ends right before the final "}".
        String patched = json.substring(0, json.lastIndexOf(']')) + "," + fieldJson + json.substring(json.lastIndexOf(']'));
        Schema parsed = new Schema.Parser().parse(patched);
        assertEquals(record.getFields().size() + 1, parsed.getFields().size(), "test setup: field not added");
        return parsed;
    }

    private static void collectUndocumented(Schema schema, List<String> out, Set<Schema> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema)) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        out.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), out, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            default -> { }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

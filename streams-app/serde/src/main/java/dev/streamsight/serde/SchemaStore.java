package dev.streamsight.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state and rules, in memory: global ids (the same schema text gets the same id in
 * every subject), per-subject versions, compatibility levels. Errors are {@link RegistryException}s
 * with the status and error code the Confluent registry answers with. Thread-safe (one lock).
 */
final class SchemaStore {

    private record Stored(int id, String text, Schema schema) {
    }

    private final Map<Integer, Stored> byId = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Stored>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int nextId = 1;

    SchemaStore(CompatibilityLevel globalLevel) {
        this.globalLevel = globalLevel;
    }

    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String text = schema.toString();
        List<Stored> versions = subjects.getOrDefault(subject, List.of());
        for (Stored existing : versions) {
            if (existing.text().equals(text)) {
                return existing.id();
            }
        }
        List<String> violations = level(subject).violations(schema, versions.stream().map(Stored::schema).toList());
        if (!violations.isEmpty()) {
            throw new RegistryException(409, RegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\", details: " + violations);
        }
        Integer id = idsByText.get(text);
        if (id == null) {
            id = nextId++;
            idsByText.put(text, id);
            byId.put(id, new Stored(id, text, schema));
        }
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(byId.get(id));
        return id;
    }

    synchronized Schema byId(int id) {
        Stored stored = byId.get(id);
        if (stored == null) {
            throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return stored.schema();
    }

    synchronized String textById(int id) {
        byId(id);
        return byId.get(id).text();
    }

    synchronized RegisteredSchema lookup(String subject, String schemaText) {
        String text = parse(schemaText).toString();
        List<Stored> versions = versionsOf(subject);
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).text().equals(text)) {
                return registered(subject, i + 1, versions.get(i));
            }
        }
        throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema not found");
    }

    /** Version {@code version} of {@code subject}; -1 means the latest. */
    synchronized RegisteredSchema version(String subject, int version) {
        List<Stored> versions = versionsOf(subject);
        int number = version == -1 ? versions.size() : version;
        if (number < 1 || number > versions.size()) {
            throw new RegistryException(404, RegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        return registered(subject, number, versions.get(number - 1));
    }

    synchronized List<Integer> versions(String subject) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= versionsOf(subject).size(); i++) {
            numbers.add(i);
        }
        return numbers;
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /**
     * Problems that would stop {@code schemaText} from being registered in {@code subject}: against
     * version {@code version} only (-1: the latest) with the direction of the subject's level, or, with
     * {@code version} null, exactly the check {@link #register} runs.
     */
    synchronized List<String> compatibilityViolations(String subject, String schemaText, Integer version) {
        Schema schema = parse(schemaText);
        CompatibilityLevel level = level(subject);
        if (version == null) {
            return level.violations(schema, subjects.getOrDefault(subject, List.of()).stream().map(Stored::schema).toList());
        }
        return level.violations(schema, List.of(version(subject, version).schema()));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized void globalLevel(CompatibilityLevel level) {
        globalLevel = level;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized void subjectLevel(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    private CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<Stored> versionsOf(String subject) {
        List<Stored> versions = subjects.get(subject);
        if (versions == null) {
            throw new RegistryException(404, RegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private static RegisteredSchema registered(String subject, int version, Stored stored) {
        return new RegisteredSchema(subject, stored.id(), version, stored.schema());
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: empty");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) { // Avro 1.12 reports an unknown type name as a NullPointerException
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema " + schemaText + ": " + e.getMessage());
        }
    }
}

package dev.streamsight.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * Picks the registry subject a record's schema belongs to. Implementations are stateless and
 * thread-safe.
 */
@FunctionalInterface
public interface SubjectNameStrategy {

    /** Confluent's default: {@code <topic>-key} or {@code <topic>-value}; one schema lineage per topic. */
    SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");

    /** {@code <record full name>}: one lineage per record type, shared by every topic that carries it. */
    SubjectNameStrategy RECORD_NAME = (topic, isKey, schema) -> schema.getFullName();

    /** {@code <topic>-<record full name>}: several record types per topic, each with its own lineage. */
    SubjectNameStrategy TOPIC_RECORD_NAME = (topic, isKey, schema) -> topic + "-" + schema.getFullName();

    /**
     * The subject for a record with {@code schema} written to {@code topic}.
     *
     * @param isKey whether the record is the Kafka key (else the value)
     */
    String subjectName(String topic, boolean isKey, Schema schema);

    /**
     * The strategy a config value names: Confluent's class names
     * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}, {@code ...RecordNameStrategy},
     * {@code ...TopicRecordNameStrategy}), their simple names, or the name (or {@link Class}) of a class
     * implementing this interface with a public no-argument constructor.
     */
    static SubjectNameStrategy forName(String configKey, Object value) {
        if (value == null) {
            return TOPIC_NAME;
        }
        String name = value instanceof Class<?> type ? type.getName() : String.valueOf(value).trim();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        SubjectNameStrategy known = Map.of(
                "TopicNameStrategy", TOPIC_NAME,
                "RecordNameStrategy", RECORD_NAME,
                "TopicRecordNameStrategy", TOPIC_RECORD_NAME).get(simple);
        if (known != null && (name.equals(simple) || name.startsWith("io.confluent."))) {
            return known;
        }
        try {
            Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : SubjectNameStrategy.class.getClassLoader());
            if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
                throw new ConfigException(configKey, name, "does not implement " + SubjectNameStrategy.class.getName());
            }
            return (SubjectNameStrategy) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(configKey, name,
                    "unknown subject name strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof ConfigException config) {
                throw config;
            }
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(configKey, name, "cannot instantiate: " + cause);
        }
    }
}

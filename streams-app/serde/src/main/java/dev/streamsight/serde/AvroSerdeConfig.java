package dev.streamsight.serde;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the Avro serdes pick schemas, parsed once from the Confluent serde keys. Immutable.
 *
 * @param autoRegisterSchemas {@code auto.register.schemas} (default true): the serializer registers the
 *     record's schema; when false it looks the schema up and fails if it is not registered
 * @param useLatestVersion {@code use.latest.version} (default false): the serializer writes with the
 *     subject's latest schema (converting the record to it), the generic deserializer reads with it
 * @param latestCacheTtl {@code latest.cache.ttl.sec} (default -1: forever): how long the latest version
 *     of a subject is reused before asking the registry again
 * @param keySubjectNameStrategy {@code key.subject.name.strategy} (default TopicNameStrategy)
 * @param valueSubjectNameStrategy {@code value.subject.name.strategy} (default TopicNameStrategy)
 * @param specificAvroReader {@code specific.avro.reader} (default false): deserialize into the generated
 *     SpecificRecord class of the writer's record name instead of a GenericRecord
 */
public record AvroSerdeConfig(
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        Optional<Duration> latestCacheTtl,
        SubjectNameStrategy keySubjectNameStrategy,
        SubjectNameStrategy valueSubjectNameStrategy,
        boolean specificAvroReader) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    /** Parses {@code config}; throws {@link ConfigException} naming the offending key. */
    public static AvroSerdeConfig from(Map<String, ?> config) {
        long ttl = longValue(config, LATEST_CACHE_TTL_SEC, -1);
        return new AvroSerdeConfig(
                bool(config, AUTO_REGISTER_SCHEMAS, true),
                bool(config, USE_LATEST_VERSION, false),
                ttl < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl)),
                SubjectNameStrategy.forName(KEY_SUBJECT_NAME_STRATEGY, config.get(KEY_SUBJECT_NAME_STRATEGY)),
                SubjectNameStrategy.forName(VALUE_SUBJECT_NAME_STRATEGY, config.get(VALUE_SUBJECT_NAME_STRATEGY)),
                bool(config, SPECIFIC_AVRO_READER, false));
    }

    /** The strategy for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }

    private static boolean bool(Map<String, ?> config, String key, boolean defaultValue) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, value, "expected true or false");
        };
    }

    private static long longValue(Map<String, ?> config, String key, long defaultValue) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "expected a whole number of seconds");
        }
    }
}

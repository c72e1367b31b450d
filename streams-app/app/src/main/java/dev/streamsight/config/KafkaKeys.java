package dev.streamsight.config;

import dev.streamsight.serde.AvroSerdeConfig;
import dev.streamsight.serde.RegistryClientConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What Kafka (Streams, producer, consumer, admin) and the Avro serdes know of the pass-through
 * keys: used to map environment variables, to check the types of known keys, and to catch a
 * misspelt Streamsight key before it silently passes through. Stateless.
 */
final class KafkaKeys {
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);
    private static final Set<String> SERDE_KEYS = Set.of(RegistryClientConfig.URL,
            RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, RegistryClientConfig.BASIC_AUTH_USER_INFO,
            RegistryClientConfig.CONNECT_TIMEOUT_MS, RegistryClientConfig.READ_TIMEOUT_MS,
            RegistryClientConfig.CACHE_CAPACITY, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS,
            AvroSerdeConfig.USE_LATEST_VERSION, AvroSerdeConfig.LATEST_CACHE_TTL_SEC,
            AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            AvroSerdeConfig.SPECIFIC_AVRO_READER);
    private static final Set<String> CLIENT_KEYS = clientKeys();

    private KafkaKeys() {
    }

    private static Set<String> clientKeys() {
        Set<String> s = new HashSet<>(ProducerConfig.configNames());
        s.addAll(ConsumerConfig.configNames());
        s.addAll(AdminClientConfig.configNames());
        return s;
    }

    /** A key Kafka Streams, a client or the serdes understand as written (no prefix handling). */
    static boolean isKnown(String key) {
        return StreamsConfig.configDef().names().contains(key) || CLIENT_KEYS.contains(key) || isSerdeKey(key);
    }

    private static boolean isSerdeKey(String key) {
        return SERDE_KEYS.contains(key) || key.startsWith("schema.registry.");
    }

    /** A Kafka Streams key that plain clients do not know ({@code application.id}, {@code num.stream.threads}...). */
    static boolean isStreamsOnly(String key) {
        if (CLIENT_PREFIXES.stream().anyMatch(key::startsWith) || key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return true;
        }
        return StreamsConfig.configDef().names().contains(key) && !CLIENT_KEYS.contains(key);
    }

    /**
     * Checks the pass-through keys: values of keys Kafka knows must parse as their type and pass
     * Kafka's validator; an unknown key close to a Streamsight key is an error. Returns the keys
     * nobody recognises.
     */
    static List<String> check(Map<String, String> passThrough) {
        List<String> unknown = new ArrayList<>();
        for (var e : passThrough.entrySet()) {
            String key = e.getKey();
            ConfigDef def = null;
            String bare = key;
            if (StreamsConfig.configDef().names().contains(key)) {
                def = StreamsConfig.configDef();
            } else if (ProducerConfig.configNames().contains(key)) {
                def = ProducerConfig.configDef();
            } else if (ConsumerConfig.configNames().contains(key)) {
                def = ConsumerConfig.configDef();
            } else if (AdminClientConfig.configNames().contains(key)) {
                def = AdminClientConfig.configDef();
            } else {
                for (String prefix : CLIENT_PREFIXES) {
                    if (key.startsWith(prefix)) {
                        bare = key.substring(prefix.length());
                        def = prefix.equals(StreamsConfig.PRODUCER_PREFIX) ? ProducerConfig.configDef()
                                : prefix.equals(StreamsConfig.ADMIN_CLIENT_PREFIX) ? AdminClientConfig.configDef()
                                : ConsumerConfig.configDef();
                        break;
                    }
                }
            }
            if (def != null && def.configKeys().containsKey(bare)) {
                validate(key, def.configKeys().get(bare), e.getValue());
                continue;
            }
            if (def != null || key.startsWith(StreamsConfig.TOPIC_PREFIX) || isSerdeKey(key)) {
                continue; // a prefixed key for a client or topic: Kafka checks it
            }
            String near = nearestStreamsightKey(key);
            if (near != null) {
                throw new ConfigException(key, "unknown key; did you mean " + near + "?");
            }
            unknown.add(key);
        }
        return unknown;
    }

    private static void validate(String key, ConfigDef.ConfigKey def, String value) {
        try {
            Object parsed = ConfigDef.parseType(def.name, value, def.type);
            if (def.validator != null) {
                def.validator.ensureValid(def.name, parsed);
            }
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }

    private static String nearestStreamsightKey(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : StreamsightConfig.streamsightKeys()) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(1, Math.min(2, key.length() / 6)) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

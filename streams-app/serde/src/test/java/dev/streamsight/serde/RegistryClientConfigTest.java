package dev.streamsight.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

    @Test
    void parsesUrlListUserInfoAndTimeouts() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                "schema.registry.url", " http://a:8081/ , https://bob:pa%40ss@b:8082/prefix",
                "http.connect.timeout.ms", "1500",
                "schema.registry.http.read.timeout.ms", 2500,
                "max.schemas.per.subject", "10"));

        assertEquals(List.of(URI.create("http://a:8081"), URI.create("https://b:8082/prefix")),
                config.endpoints().stream().map(RegistryClientConfig.Endpoint::baseUri).toList());
        assertEquals(Optional.empty(), config.endpoints().get(0).authorization());
        assertEquals(Optional.of("Basic Ym9iOnBhQHNz"), config.endpoints().get(1).authorization(), "bob:pa@ss");
        assertEquals(Duration.ofMillis(1500), config.connectTimeout());
        assertEquals(Duration.ofMillis(2500), config.requestTimeout());
        assertEquals(10, config.cacheCapacity());
        assertFalse(config.toString().contains("Ym9i"), "credentials are not printed");
    }

    @Test
    void userInfoSourceAppliesToEveryUrl() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                "schema.registry.url", "http://a,http://b",
                "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "u:p"));
        assertTrue(config.endpoints().stream().allMatch(e -> e.authorization().equals(Optional.of("Basic dTpw"))));
    }

    @Test
    void sslSettingsComeOnlyFromPrefixedKeys() {
        Map<String, String> brokerSsl = Map.of("schema.registry.url", "https://a", "ssl.truststore.location", "/broker.jks");
        assertEquals(Optional.empty(), RegistryClientConfig.from(brokerSsl).ssl());

        RegistryClientConfig config = RegistryClientConfig.from(Map.of("schema.registry.url", "https://a",
                "schema.registry.ssl.truststore.location", "/sr.p12", "schema.registry.ssl.truststore.type", "PKCS12",
                "schema.registry.ssl.truststore.password", "secret"));
        RegistryClientConfig.Ssl ssl = config.ssl().orElseThrow();
        assertEquals(Optional.of("/sr.p12"), ssl.truststoreLocation());
        assertEquals("PKCS12", ssl.truststoreType());
        assertEquals("secret", ssl.truststorePassword().orElseThrow().value());
        assertFalse(config.toString().contains("secret"));
    }

    @Test
    void rejectsBadValues() {
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of()));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of("schema.registry.url", "ftp://x")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of("schema.registry.url", " , ")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of("schema.registry.url", "mock://a,http://b")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(
                Map.of("schema.registry.url", "http://a", "http.read.timeout.ms", "-5")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of("schema.registry.url", "https://a",
                "schema.registry.ssl.endpoint.identification.algorithm", "")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.from(
                Map.of("schema.registry.url", "http://a", "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "no-colon")));
    }

    @Test
    void mockUrlsShareOneRegistryPerScope() {
        String scope = Samples.scope();
        try (SchemaRegistryClient a = SchemaRegistryClient.create(Map.of("schema.registry.url", "mock://" + scope));
                SchemaRegistryClient b = SchemaRegistryClient.create(Map.of("schema.registry.url", "mock://" + scope));
                SchemaRegistryClient other = SchemaRegistryClient.create(Map.of("schema.registry.url", "mock://" + scope + "-2"))) {
            Schema schema = Schema.create(Schema.Type.STRING);
            int id = a.register("t-value", schema);
            assertEquals(schema, b.getById(id));
            assertEquals(List.of(), other.getAllSubjects());
        } finally {
            MockSchemaRegistry.dropScope(scope);
            MockSchemaRegistry.dropScope(scope + "-2");
        }
        assertInstanceOf(RestSchemaRegistryClient.class, SchemaRegistryClient.create(Map.of("schema.registry.url", "http://x")));
    }

    @Test
    void subjectNameStrategiesByConfluentClassSimpleNameOrOwnClass() {
        Schema schema = Schema.createRecord("Rec", null, "ns", false, List.of());
        assertSame(SubjectNameStrategy.TOPIC_NAME, SubjectNameStrategy.forName("k", null));
        assertSame(SubjectNameStrategy.TOPIC_NAME,
                SubjectNameStrategy.forName("k", "io.confluent.kafka.serializers.subject.TopicNameStrategy"));
        assertSame(SubjectNameStrategy.RECORD_NAME, SubjectNameStrategy.forName("k", "RecordNameStrategy"));
        assertSame(SubjectNameStrategy.TOPIC_RECORD_NAME,
                SubjectNameStrategy.forName("k", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));
        assertEquals("t-key", SubjectNameStrategy.TOPIC_NAME.subjectName("t", true, schema));
        assertEquals("ns.Rec", SubjectNameStrategy.RECORD_NAME.subjectName("t", false, schema));
        assertEquals("t-ns.Rec", SubjectNameStrategy.TOPIC_RECORD_NAME.subjectName("t", false, schema));
        assertEquals("fixed-subject", SubjectNameStrategy.forName("k", FixedStrategy.class).subjectName("t", false, schema));
        assertThrows(ConfigException.class, () -> SubjectNameStrategy.forName("k", "NoSuchStrategy"));
        assertThrows(ConfigException.class, () -> SubjectNameStrategy.forName("k", String.class));
    }

    /** A user-supplied strategy, instantiated by class name. */
    public static final class FixedStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return "fixed-subject";
        }
    }
}

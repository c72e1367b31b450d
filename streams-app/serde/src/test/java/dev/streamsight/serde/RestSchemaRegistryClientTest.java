package dev.streamsight.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.ImageEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Sensor","namespace":"example","fields":[{"name":"id","type":"string"}]}""");
    private static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Sensor","namespace":"example","fields":[{"name":"id","type":"string"},
              {"name":"unit","type":"string","default":"celsius"}]}""");
    private static final Schema BREAKING = new Schema.Parser().parse("""
            {"type":"record","name":"Sensor","namespace":"example","fields":[{"name":"id","type":"string"},
              {"name":"serial","type":"long"}]}""");

    private InProcessSchemaRegistry server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = InProcessSchemaRegistry.start();
        client = new RestSchemaRegistryClient(Map.of("schema.registry.url", server.url()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void registersLooksUpAndFetchesSchemas() {
        int id = client.register("sensors-value", V1);

        assertEquals(1, id);
        assertEquals(V1, client.getById(id));
        assertEquals(new RegisteredSchema("sensors-value", 1, 1, V1), client.lookup("sensors-value", V1));
        assertEquals(new RegisteredSchema("sensors-value", 1, 1, V1), client.latest("sensors-value"));

        int id2 = client.register("sensors-value", V2);
        assertEquals(2, id2);
        assertEquals(new RegisteredSchema("sensors-value", 2, 2, V2), client.latest("sensors-value"));
        assertEquals(new RegisteredSchema("sensors-value", 1, 1, V1), client.version("sensors-value", 1));
        assertEquals(List.of(1, 2), client.versions("sensors-value"));
        assertEquals(List.of("sensors-value"), client.getAllSubjects());
    }

    @Test
    void reRegisteringIsIdempotentAndIdsAreSharedAcrossSubjects() {
        int id = client.register("a-value", V1);
        try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(Map.of("schema.registry.url", server.url()))) {
            assertEquals(id, fresh.register("a-value", V1), "same subject, same schema: same id, no new version");
            assertEquals(id, fresh.register("b-value", V1), "same schema in another subject: same id");
        }
        assertEquals(List.of(1), client.versions("a-value"));
        assertEquals(List.of("a-value", "b-value"), client.getAllSubjects());
    }

    @Test
    void incompatibleRegistrationIsRejectedWith409() {
        client.register("sensors-value", V1);

        RegistryException e = assertThrows(RegistryException.class, () -> client.register("sensors-value", BREAKING));

        assertEquals(409, e.status());
        assertEquals(RegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
        assertTrue(e.isSchemaError());
        assertTrue(e.getMessage().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), e.getMessage());
        assertFalse(client.testCompatibility("sensors-value", BREAKING));
        assertTrue(client.testCompatibility("sensors-value", V2));
    }

    @Test
    void compatibilityLevelIsConfigurablePerSubject() throws Exception {
        client.register("sensors-value", V1);
        assertEquals(200, http("PUT", "/config/sensors-value", "{\"compatibility\":\"NONE\"}").statusCode());

        assertEquals(2, client.register("sensors-value", BREAKING));
        assertTrue(http("GET", "/config/sensors-value", null).body().contains("\"compatibilityLevel\":\"NONE\""));
        assertTrue(http("GET", "/config", null).body().contains("\"compatibilityLevel\":\"BACKWARD\""));
        HttpResponse<String> notConfigured = http("GET", "/config/other-value", null);
        assertEquals(404, notConfigured.statusCode());
        assertTrue(notConfigured.body().contains("\"error_code\":40408"), notConfigured.body());
        HttpResponse<String> invalid = http("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
        assertEquals(422, invalid.statusCode());
        assertTrue(invalid.body().contains("\"error_code\":42203"), invalid.body());
    }

    @Test
    void errorsCarryConfluentErrorCodes() throws Exception {
        RegistryException unknownId = assertThrows(RegistryException.class, () -> client.getById(77));
        assertEquals(404, unknownId.status());
        assertEquals(RegistryException.SCHEMA_NOT_FOUND, unknownId.errorCode());

        RegistryException unknownSubject = assertThrows(RegistryException.class, () -> client.latest("nope"));
        assertEquals(RegistryException.SUBJECT_NOT_FOUND, unknownSubject.errorCode());

        client.register("sensors-value", V1);
        RegistryException notInSubject = assertThrows(RegistryException.class, () -> client.lookup("sensors-value", V2));
        assertEquals(RegistryException.SCHEMA_NOT_FOUND, notInSubject.errorCode());
        RegistryException noVersion = assertThrows(RegistryException.class, () -> client.version("sensors-value", 5));
        assertEquals(RegistryException.VERSION_NOT_FOUND, noVersion.errorCode());

        HttpResponse<String> invalid = http("POST", "/subjects/x/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}");
        assertEquals(422, invalid.statusCode());
        assertTrue(invalid.body().contains("\"error_code\":42201"), invalid.body());
        HttpResponse<String> badVersion = http("GET", "/subjects/sensors-value/versions/zero", null);
        assertTrue(badVersion.body().contains("\"error_code\":42202"), badVersion.body());
        HttpResponse<String> raw = http("GET", "/schemas/ids/1", null);
        assertEquals(RestSchemaRegistryClient.CONTENT_TYPE, raw.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"schema\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(V1.toString()) + "}",
                raw.body());
    }

    @Test
    void cachesMeanOneRequestPerSchema() {
        int id = client.register("sensors-value", V1);
        long afterRegister = server.requestCount();

        for (int i = 0; i < 5; i++) {
            assertEquals(id, client.register("sensors-value", V1));
            assertEquals(V1, client.getById(id));
        }
        assertEquals(afterRegister, server.requestCount(), "register caches the id, and the schema for getById");

        client.lookup("sensors-value", V1);
        client.lookup("sensors-value", V1);
        assertEquals(afterRegister + 1, server.requestCount(), "second lookup comes from the cache");

        try (RestSchemaRegistryClient reader = new RestSchemaRegistryClient(Map.of("schema.registry.url", server.url()))) {
            reader.getById(id);
            reader.getById(id);
        }
        assertEquals(afterRegister + 2, server.requestCount(), "getById asks once per id");
    }

    @Test
    void serdesOverHttpCallTheRegistryOncePerSchema() {
        Map<String, String> config = Map.of("schema.registry.url", server.url());
        try (Serde<ImageEvent> events = AvroSerdes.specific(ImageEvent.class, config, false);
                Serde<ClassificationResult> results = AvroSerdes.specific(ClassificationResult.class, config, false)) {
            byte[] first = events.serializer().serialize("images", Samples.imageEvent());
            assertEquals(Samples.imageEvent(), events.deserializer().deserialize("images", first));
            long requests = server.requestCount();
            for (int i = 0; i < 20; i++) {
                byte[] bytes = events.serializer().serialize("images", Samples.imageEvent());
                assertEquals(Samples.imageEvent(), events.deserializer().deserialize("images", bytes));
            }
            assertEquals(requests, server.requestCount(), "no registry call after the first record");

            byte[] result = results.serializer().serialize("images.mobilenet", Samples.classification());
            assertEquals(Samples.classification(), results.deserializer().deserialize("images.mobilenet", result));
        }
        assertEquals(List.of("images-value", "images.mobilenet-value"), client.getAllSubjects());
    }

    @Test
    void failsOverFromAnUnreachableUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String urls = "http://127.0.0.1:" + closedPort + "," + server.url();
        try (RestSchemaRegistryClient failover = new RestSchemaRegistryClient(Map.of("schema.registry.url", urls))) {
            assertEquals(1, failover.register("sensors-value", V1));
            assertEquals(V2, failover.getById(failover.register("sensors-value", V2)));
            assertEquals(List.of("sensors-value"), failover.getAllSubjects());
        }
    }

    @Test
    void unreachableRegistryIsARetriableErrorWithoutStatus() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (RestSchemaRegistryClient nowhere = new RestSchemaRegistryClient(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + closedPort, RegistryClientConfig.RETRY_TIMEOUT_MS, "0"))) {
            RegistryException e = assertThrows(RegistryException.class, () -> nowhere.getById(1));
            assertEquals(RegistryException.NO_RESPONSE, e.status());
            assertTrue(e.isRetriable());
            assertFalse(e.isSchemaError());
        }
    }

    @Test
    void aCallWaitsForARegistryThatComesUpWithinTheRetryTimeout() throws Exception {
        int port = freePort();
        try (RestSchemaRegistryClient early = new RestSchemaRegistryClient(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + port, RegistryClientConfig.RETRY_TIMEOUT_MS, "30000",
                RegistryClientConfig.RETRY_BACKOFF_MS, "50", RegistryClientConfig.RETRY_BACKOFF_MAX_MS, "200"))) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                late.set(InProcessSchemaRegistry.builder().port(port).start());
            });
            long start = System.nanoTime();
            int id = early.register("late-value", V1);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, id);
            assertTrue(waitedMs >= 1000, "the call waited for the registry: " + waitedMs + " ms");
            assertEquals(V1, early.getById(id));
        } finally {
            if (late.get() != null) {
                late.get().close();
            }
        }
    }

    @Test
    void aCallGivesUpWhenTheOutageOutlastsTheRetryTimeout() throws IOException {
        int port = freePort();
        try (RestSchemaRegistryClient nowhere = new RestSchemaRegistryClient(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + port, RegistryClientConfig.RETRY_TIMEOUT_MS, "800",
                RegistryClientConfig.RETRY_BACKOFF_MS, "100"))) {
            long start = System.nanoTime();
            RegistryException e = assertThrows(RegistryException.class, () -> nowhere.getById(1));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(RegistryException.NO_RESPONSE, e.status());
            assertTrue(ms >= 300 && ms < 10_000, "retried for about the timeout, then gave up: " + ms + " ms");
        }
    }

    @Test
    void retrySettingsAreValidated() {
        ConfigException e = assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of(
                "schema.registry.url", "http://127.0.0.1:1", RegistryClientConfig.RETRY_TIMEOUT_MS, "-5")));
        assertTrue(e.getMessage().contains(RegistryClientConfig.RETRY_TIMEOUT_MS), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RegistryClientConfig.from(Map.of(
                "schema.registry.url", "http://127.0.0.1:1", RegistryClientConfig.RETRY_BACKOFF_MS, "500",
                RegistryClientConfig.RETRY_BACKOFF_MAX_MS, "100")));
        assertTrue(e.getMessage().contains(RegistryClientConfig.RETRY_BACKOFF_MAX_MS), e.getMessage());
    }

    private final java.util.concurrent.atomic.AtomicReference<InProcessSchemaRegistry> late =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void basicAuthIsRequiredAndAccepted() {
        try (InProcessSchemaRegistry secured = InProcessSchemaRegistry.builder().basicAuth("sr-user", "s3cr:et").start()) {
            try (RestSchemaRegistryClient anonymous = new RestSchemaRegistryClient(Map.of("schema.registry.url", secured.url()))) {
                RegistryException e = assertThrows(RegistryException.class, () -> anonymous.register("s-value", V1));
                assertEquals(401, e.status());
                assertFalse(e.isSchemaError());
            }
            try (RestSchemaRegistryClient wrong = new RestSchemaRegistryClient(Map.of("schema.registry.url", secured.url(),
                    "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "sr-user:guess"))) {
                assertEquals(401, assertThrows(RegistryException.class, () -> wrong.getAllSubjects()).status());
            }
            try (RestSchemaRegistryClient userInfo = new RestSchemaRegistryClient(Map.of("schema.registry.url", secured.url(),
                    "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "sr-user:s3cr:et"))) {
                assertEquals(1, userInfo.register("s-value", V1));
            }
            String withUserInfo = secured.url().replace("http://", "http://sr-user:s3cr%3Aet@");
            try (RestSchemaRegistryClient url = new RestSchemaRegistryClient(Map.of("schema.registry.url", withUserInfo))) {
                assertEquals(V1, url.getById(1));
            }
        }
    }

    @Test
    void userInfoSourceWithoutCredentialsIsAConfigError() {
        assertThrows(ConfigException.class, () -> new RestSchemaRegistryClient(Map.of("schema.registry.url", server.url(),
                "basic.auth.credentials.source", "USER_INFO")));
        assertThrows(ConfigException.class, () -> new RestSchemaRegistryClient(Map.of("schema.registry.url", server.url(),
                "basic.auth.credentials.source", "SASL_INHERIT")));
    }

    private HttpResponse<String> http(String method, String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

package dev.streamsight.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (also served by
 * Apicurio's ccompat API, Karapace and {@link InProcessSchemaRegistry}), on {@link HttpClient}.
 *
 * <p>With several URLs it sends each call to the one that answered last and fails over to the next
 * when a URL gives no response; an error response does not fail over. Ids, schemas and lookups are
 * kept in bounded LRU caches ({@code max.schemas.per.subject} entries each), so each schema costs one
 * call.
 *
 * <p>Through an outage (no response from any URL, or a 5xx, 408 or 429) a call retries with
 * exponential backoff for up to {@code schema.registry.retry.timeout.ms} (see {@link RegistryRetry}),
 * logging one WARN line when the outage starts, one every 10 s while it lasts and one INFO line when
 * the registry answers again; then it throws the last {@link RegistryException}. Answers about the
 * data (not found, incompatible) are never retried. An interrupt or {@link #close()} ends the waiting.
 *
 * <p>Thread-safe; create one per application and {@link #close()} it.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Content type of Schema Registry requests and responses. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    /** Keyed on the schema object (its hash is cached, equality is structural): no JSON per record. */
    private record SubjectSchema(String subject, Schema schema) {
    }

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger preferredEndpoint = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> registeredIds;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;

    /** A client for the {@code schema.registry.url} and related keys in {@code config}. */
    public RestSchemaRegistryClient(Map<String, ?> config) {
        this(RegistryClientConfig.from(config));
    }

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        if (config.mockScope().isPresent()) {
            throw new IllegalArgumentException("mock:// URLs are served by MockSchemaRegistry, not over HTTP");
        }
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        config.ssl().ifPresent(ssl -> builder.sslContext(SslContexts.create(ssl)));
        this.http = builder.build();
        this.schemasById = new BoundedCache<>(config.cacheCapacity());
        this.registeredIds = new BoundedCache<>(config.cacheCapacity());
        this.lookups = new BoundedCache<>(config.cacheCapacity());
    }

    @Override
    public int register(String subject, Schema schema) {
        return registeredIds.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = call("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", schema.toString()))
                    .path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            JsonNode body = call("GET", "/schemas/ids/" + id, null);
            return parse(body, "schema id " + id);
        });
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return lookups.computeIfAbsent(new SubjectSchema(subject, schema), key -> registered(
                call("POST", "/subjects/" + encode(subject), Map.of("schema", schema.toString())), subject));
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null), subject);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null), subject);
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        JsonNode body = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                Map.of("schema", schema.toString()));
        return body.path("is_compatible").asBoolean(false);
    }

    @Override
    public List<String> getAllSubjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + config.endpoints();
    }

    private RegisteredSchema registered(JsonNode body, String subject) {
        int id = body.path("id").asInt();
        Schema schema = schemasById.computeIfAbsent(id, key -> parse(body, "schema id " + id));
        return new RegisteredSchema(body.path("subject").asText(subject), id, body.path("version").asInt(), schema);
    }

    private static Schema parse(JsonNode body, String what) {
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryException(200, RegistryException.INVALID_SCHEMA, what + " is a " + type + " schema, not Avro");
        }
        try {
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (RuntimeException e) { // SchemaParseException, or an NPE for an unknown type name
            throw new RegistryException(200, RegistryException.INVALID_SCHEMA,
                    "The registry's " + what + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    /** Sends the call, retrying through an outage as {@link RegistryClientConfig#retry()} says. */
    private JsonNode call(String method, String path, Object body) {
        if (closed.get()) {
            throw new IllegalStateException("client is closed");
        }
        byte[] payload = serialize(body);
        RegistryRetry retry = config.retry();
        long start = System.nanoTime();
        long lastWarning = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                JsonNode answer = attempt(method, path, payload);
                if (attempt > 1) {
                    LOG.info("Schema registry answered {} {} again after {} ms ({} attempts)", method, path,
                            (System.nanoTime() - start) / 1_000_000, attempt);
                }
                return answer;
            } catch (RegistryException e) {
                long elapsed = System.nanoTime() - start;
                Duration wait = retry.backoff(attempt);
                if (!RegistryRetry.isOutage(e) || closed.get() || Thread.currentThread().isInterrupted()
                        || elapsed + wait.toNanos() > retry.timeout().toNanos()) {
                    if (attempt > 1) {
                        LOG.error("Schema registry still unavailable for {} {} after {} ms and {} attempts; giving up"
                                + " ({}): {}", method, path, elapsed / 1_000_000, attempt, RegistryClientConfig
                                .RETRY_TIMEOUT_MS, e.getMessage());
                    }
                    throw e;
                }
                if (attempt == 1 || elapsed - lastWarning >= 10_000_000_000L) {
                    lastWarning = elapsed;
                    LOG.warn("Schema registry unavailable for {} {} ({}); retrying in {} ms, attempt {}, for up to {}"
                            + " s in all", method, path, e.getMessage(), wait.toMillis(), attempt,
                            retry.timeout().toSeconds());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException("Interrupted while waiting to retry " + method + " " + path, e);
                }
            }
        }
    }

    /** One attempt: the preferred endpoint, failing over to the others when one gives no response. */
    private JsonNode attempt(String method, String path, byte[] payload) {
        List<RegistryClientConfig.Endpoint> endpoints = config.endpoints();
        int start = preferredEndpoint.get();
        List<IOException> failures = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (start + i) % endpoints.size();
            RegistryClientConfig.Endpoint endpoint = endpoints.get(index);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(endpoint, method, path, payload), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (endpoints.size() > 1) {
                    LOG.warn("Schema registry {} gave no response to {} {}: {}; trying the next URL", endpoint.baseUri(),
                            method, path, e.toString());
                }
                failures.add(e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("Interrupted during " + method + " " + path, e);
            }
            preferredEndpoint.set(index);
            return readResponse(response, method, path);
        }
        RegistryException unreachable = new RegistryException("Schema registry unreachable: " + method + " " + path
                + " got no response from " + endpoints + ": " + failures.getLast(), failures.getLast());
        failures.subList(0, failures.size() - 1).forEach(unreachable::addSuppressed);
        throw unreachable;
    }

    private HttpRequest request(RegistryClientConfig.Endpoint endpoint, String method, String path, byte[] payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.baseUri() + path))
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        endpoint.authorization().ifPresent(value -> builder.header("Authorization", value));
        if (payload == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        }
        return builder.build();
    }

    private JsonNode readResponse(HttpResponse<byte[]> response, String method, String path) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (status / 100 == 2) {
            if (body == null) {
                throw new RegistryException(status, status, method + " " + path + ": response is not JSON");
            }
            return body;
        }
        int errorCode = body != null && body.has("error_code") ? body.get("error_code").asInt() : status;
        String message = body != null && body.has("message")
                ? body.get("message").asText()
                : new String(response.body(), StandardCharsets.UTF_8);
        throw new RegistryException(status, errorCode, "Schema registry " + method + " " + path + ": " + message);
    }

    private byte[] serialize(Object body) {
        if (body == null) {
            return null;
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

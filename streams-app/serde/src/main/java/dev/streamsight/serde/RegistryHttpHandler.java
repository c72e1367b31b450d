package dev.streamsight.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the Confluent Schema Registry REST API onto a {@link SchemaStore}. */
final class RegistryHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    /** A response: status and a JSON-serializable body. */
    private record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }
    }

    private final SchemaStore store;
    private final byte[] expectedAuthorization;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();

    RegistryHttpHandler(SchemaStore store, String user, String password) {
        this.store = store;
        this.expectedAuthorization = user == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
    }

    long requestCount() {
        return requests.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Reply reply;
        try {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
                reply = error(401, 401, "Unauthorized");
            } else {
                reply = route(exchange);
            }
        } catch (RegistryException e) {
            reply = error(e.status(), e.errorCode(), e.detail());
        } catch (JsonProcessingException e) {
            reply = error(400, 400, "Malformed JSON request body: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            LOG.error("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = error(500, RegistryException.STORE_ERROR, "Internal error: " + e);
        }
        send(exchange, reply);
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        int n = path.size();
        String first = n > 0 ? path.getFirst() : "";
        return switch (first) {
            case "" -> Reply.ok(Map.of());
            case "subjects" -> {
                if (n == 1 && method.equals("GET")) {
                    yield Reply.ok(store.subjects());
                }
                String subject = n > 1 ? path.get(1) : "";
                if (n == 2 && method.equals("POST")) {
                    yield Reply.ok(describe(store.lookup(subject, schemaText(exchange))));
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("GET")) {
                    yield Reply.ok(store.versions(subject));
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("POST")) {
                    yield Reply.ok(Map.of("id", store.register(subject, schemaText(exchange))));
                }
                if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                    yield Reply.ok(describe(store.version(subject, version(path.get(3)))));
                }
                if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("schema") && method.equals("GET")) {
                    yield new Reply(200, new RawJson(store.version(subject, version(path.get(3))).schema().toString()));
                }
                yield notFound(method, exchange);
            }
            case "schemas" -> {
                if (n == 2 && path.get(1).equals("types") && method.equals("GET")) {
                    yield Reply.ok(List.of("AVRO"));
                }
                if (n >= 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    int id = schemaId(path.get(2));
                    if (n == 3) {
                        yield Reply.ok(Map.of("schema", store.textById(id)));
                    }
                    if (n == 4 && path.get(3).equals("schema")) {
                        yield new Reply(200, new RawJson(store.textById(id)));
                    }
                }
                yield notFound(method, exchange);
            }
            case "compatibility" -> {
                if (method.equals("POST") && n >= 4 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    Integer version = n == 5 ? version(path.get(4)) : null;
                    if (n == 4 || n == 5) {
                        List<String> violations = store.compatibilityViolations(path.get(2), schemaText(exchange), version);
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("is_compatible", violations.isEmpty());
                        if (query.contains("verbose=true")) {
                            body.put("messages", violations);
                        }
                        yield Reply.ok(body);
                    }
                }
                yield notFound(method, exchange);
            }
            case "config" -> config(exchange, method, path, query);
            default -> notFound(method, exchange);
        };
    }

    private Reply config(HttpExchange exchange, String method, List<String> path, String query) throws IOException {
        if (path.size() > 2) {
            return notFound(method, exchange);
        }
        String subject = path.size() == 2 ? path.get(1) : null;
        if (method.equals("GET")) {
            CompatibilityLevel level = subject == null ? store.globalLevel()
                    : store.subjectLevel(subject).orElseGet(() -> {
                        if (query.contains("defaultToGlobal=true")) {
                            return store.globalLevel();
                        }
                        throw new RegistryException(404, RegistryException.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                                "Subject '" + subject + "' does not have subject-level compatibility configured");
                    });
            return Reply.ok(Map.of("compatibilityLevel", level.name()));
        }
        if (method.equals("PUT")) {
            String requested = body(exchange).path("compatibility").asText("");
            CompatibilityLevel level;
            try {
                level = CompatibilityLevel.valueOf(requested.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RegistryException(422, RegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, "
                                + "forward_transitive, and full_transitive");
            }
            if (subject == null) {
                store.globalLevel(level);
            } else {
                store.subjectLevel(subject, level);
            }
            return Reply.ok(Map.of("compatibility", level.name()));
        }
        return notFound(method, exchange);
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    private String schemaText(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Unsupported schema type " + type
                    + ": this registry serves Avro only");
        }
        if (body.path("references").size() > 0) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Schema references are not supported");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: the \"schema\" field is missing");
        }
        return schema.asText();
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode node = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        if (!node.isObject()) {
            throw new RegistryException(400, 400, "The request body must be a JSON object");
        }
        return node;
    }

    private static Map<String, Object> describe(RegisteredSchema schema) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", schema.subject());
        body.put("version", schema.version());
        body.put("id", schema.id());
        body.put("schema", schema.schema().toString());
        return body;
    }

    private static int version(String text) {
        if (text.equals("latest") || text.equals("-1")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RegistryException(422, RegistryException.INVALID_VERSION, "The specified version '" + text
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static Reply notFound(String method, HttpExchange exchange) {
        return error(404, 404, "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI().getPath());
    }

    private static Reply error(int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return new Reply(status, body);
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** A body that is already JSON text. */
    private record RawJson(String text) {
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body() instanceof RawJson raw
                ? raw.text().getBytes(StandardCharsets.UTF_8)
                : json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }
}

package dev.streamsight.serde;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A Schema Registry in this JVM, serving the Confluent REST API subset that serdes and tools use, on
 * 127.0.0.1 only: the embedded default mode and tests need no external registry.
 *
 * <p>Served: {@code GET /subjects}, {@code GET|POST /subjects/{s}/versions},
 * {@code GET /subjects/{s}/versions/{v|latest}[/schema]}, {@code POST /subjects/{s}} (lookup),
 * {@code GET /schemas/ids/{id}[/schema]}, {@code GET /schemas/types},
 * {@code POST /compatibility/subjects/{s}/versions[/{v|latest}]}, {@code GET|PUT /config[/{s}]}. The same
 * schema text gets the same id in every subject; registration is checked against the subject's
 * compatibility level (BACKWARD unless configured). Answers use Confluent's JSON shapes and error
 * codes. Avro only; schema references, deletes, modes and contexts are not served. State is in memory.
 *
 * <p>Lifecycle: {@link #builder()}, {@link Builder#start()}, {@link #close()} (idempotent). Requests are
 * served on virtual threads; the state is guarded by one lock, so it is safe under concurrent use.
 */
public final class InProcessSchemaRegistry implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryHttpHandler handler;
    private final String url;

    private InProcessSchemaRegistry(HttpServer server, ExecutorService executor, RegistryHttpHandler handler, String scheme) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.url = scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A registry on a free port, no authentication, BACKWARD compatibility: started. */
    public static InProcessSchemaRegistry start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL for {@code schema.registry.url}, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** HTTP requests received so far (rejected ones included): lets tests prove a client's cache works. */
    public long requestCount() {
        return handler.requestCount();
    }

    /** Stops listening and drops the state. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    @Override
    public String toString() {
        return "InProcessSchemaRegistry[" + url + "]";
    }

    /** Options of an {@link InProcessSchemaRegistry}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String user;
        private String password;
        private CompatibilityLevel compatibility = CompatibilityLevel.BACKWARD;
        private SSLContext sslContext;

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Requires HTTP basic authentication with these credentials on every request. */
        public Builder basicAuth(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The global compatibility level (default BACKWARD); {@code PUT /config} changes it later. */
        public Builder compatibility(CompatibilityLevel level) {
            this.compatibility = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Serves HTTPS with this context (its key manager holds the server certificate). */
        public Builder https(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** Binds and starts serving; fails if the port is taken. */
        public InProcessSchemaRegistry start() {
            RegistryHttpHandler handler = new RegistryHttpHandler(new SchemaStore(compatibility), user, password);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            HttpServer server;
            try {
                if (sslContext != null) {
                    HttpsServer https = HttpsServer.create(address, 0);
                    https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
                    server = https;
                } else {
                    server = HttpServer.create(address, 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot bind the schema registry to " + address, e);
            }
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", handler);
            server.start();
            return new InProcessSchemaRegistry(server, executor, handler, sslContext != null ? "https" : "http");
        }
    }
}

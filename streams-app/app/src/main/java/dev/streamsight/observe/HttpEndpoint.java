package dev.streamsight.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamsight.config.ConfigException;
import dev.streamsight.config.StreamsightConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of a running instance (JDK {@code com.sun.net.httpserver}, one virtual thread per
 * request):
 * <ul>
 *   <li>{@code GET /metrics}: {@link PipelineMetrics#scrape()}, Prometheus text format 0.0.4;</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}: 200 or 503 with
 *       {@code {"status":"UP"|"DOWN","state":"<Kafka Streams state>","reason":"..."}} ({@link Readiness});</li>
 *   <li>anything else: 404 (405 for a method other than GET or HEAD).</li>
 * </ul>
 *
 * <p><b>Port.</b> When the port is taken and it is the default ({@code http.port} set by no one), several
 * instances share a host: one WARN line, and an ephemeral port instead. When the user chose it, starting
 * fails with a {@link ConfigException} naming {@code http.port}. The bound URL is logged at INFO.
 *
 * <p>One owner (the command that runs the pipeline) starts and {@link #close() closes} it; thread-safe.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PipelineMetrics metrics;
    private final Readiness readiness;
    private final URI url;
    private boolean closed; // guarded by this

    private HttpEndpoint(HttpServer server, ExecutorService executor, PipelineMetrics metrics, Readiness readiness) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
        this.readiness = readiness;
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        this.url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
    }

    /**
     * Binds and starts serving.
     *
     * @param host the address to bind ({@code http.host}; {@code 0.0.0.0}: every interface)
     * @param port the port ({@code http.port}, 1..65535)
     * @param portIsDefault whether no one chose the port: if it is taken, an ephemeral port is used instead
     * @throws ConfigException when the chosen port is taken or the host cannot be bound
     */
    public static HttpEndpoint start(String host, int port, boolean portIsDefault, PipelineMetrics metrics,
            Readiness readiness) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new ConfigException(StreamsightConfig.HTTP_HOST, "cannot resolve '" + host + "': " + e.getMessage());
        }
        HttpServer server;
        try {
            server = bind(address, port);
        } catch (BindException e) {
            if (!portIsDefault) {
                throw new ConfigException(StreamsightConfig.HTTP_PORT, "port " + port + " on " + host
                        + " is in use (" + e.getMessage() + "); choose another, or 0 to serve no metrics and health");
            }
            try {
                server = bind(address, 0);
            } catch (IOException again) {
                throw new ConfigException(StreamsightConfig.HTTP_HOST, "cannot listen on " + host + ": " + again, again);
            }
            LOG.warn("port {} ({}, the default) is in use, probably by another instance on this host; metrics and"
                    + " health on ephemeral port {} instead", port, StreamsightConfig.HTTP_PORT,
                    server.getAddress().getPort());
        } catch (IOException e) {
            throw new ConfigException(StreamsightConfig.HTTP_HOST, "cannot listen on " + host + ":" + port + ": " + e,
                    e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        HttpEndpoint endpoint = new HttpEndpoint(server, executor, metrics, readiness);
        server.createContext("/", endpoint::handle);
        server.start();
        LOG.info("metrics and health on {} (/metrics, /health/live, /health/ready; listening on {})", endpoint.url,
                server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
        return endpoint;
    }

    private static HttpServer bind(InetAddress address, int port) throws IOException {
        return HttpServer.create(new InetSocketAddress(address, port), 0);
    }

    /** The port bound (an ephemeral one after a fallback). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://HOST:PORT}, with 127.0.0.1 for a wildcard bind. */
    public URI url() {
        return url;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
            if (!known) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics, /health/live or"
                        + " /health/ready\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/metrics" -> send(exchange, 200, METRICS_CONTENT_TYPE, metrics.scrape());
                case "/health/live" -> health(exchange, readiness.live());
                default -> health(exchange, readiness.ready());
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static void health(HttpExchange exchange, Readiness.Status status) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.ok() ? "UP" : "DOWN");
        body.put("state", status.state());
        body.put("reason", status.reason());
        send(exchange, status.ok() ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving (requests in flight get a second) and releases the port. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(1);
        executor.shutdownNow();
    }
}

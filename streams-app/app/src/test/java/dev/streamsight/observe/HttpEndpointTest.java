package dev.streamsight.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.config.ConfigException;
import dev.streamsight.config.StreamsightConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private static final String HOST = "127.0.0.1";
    private final HttpClient http = HttpClient.newHttpClient();
    private final Readiness readiness = new Readiness();
    private PipelineMetrics metrics;
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() {
        metrics = PipelineMetrics.prometheus();
        metrics.bindReadiness(readiness);
        endpoint = HttpEndpoint.start(HOST, 0, false, metrics, readiness);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        http.close();
    }

    @Test
    void readyOnlyWhenRunningWithModelsLoaded() throws Exception {
        assertHealth("/health/live", 200, "\"state\":\"LOADING_MODELS\"");
        assertHealth("/health/ready", 503, "\"reason\":\"loading models\"");
        readiness.modelsReady(2);
        assertHealth("/health/ready", 503, "\"state\":\"STARTING\"");
        readiness.streamsState(State.CREATED);
        readiness.streamsState(State.REBALANCING);
        assertHealth("/health/ready", 503, "\"state\":\"REBALANCING\"");
        readiness.streamsState(State.RUNNING);
        assertHealth("/health/ready", 200, "{\"status\":\"UP\",\"state\":\"RUNNING\"");
        assertTrue(get("/metrics").body().contains("streamsight_ready 1.0"), get("/metrics").body());
        // A stream thread being replaced: Kafka Streams rebalances, not ready meanwhile, still live.
        readiness.streamsState(State.REBALANCING);
        assertHealth("/health/ready", 503, "not RUNNING");
        assertHealth("/health/live", 200, "\"status\":\"UP\"");
        assertTrue(get("/metrics").body().contains("streamsight_ready 0.0"));
        readiness.streamsState(State.RUNNING);
        assertHealth("/health/ready", 200, "RUNNING");
    }

    @Test
    void notLiveAfterAFailure() throws Exception {
        readiness.modelsReady(1);
        readiness.streamsState(State.RUNNING);
        readiness.streamsState(State.PENDING_ERROR);
        assertHealth("/health/live", 503, "\"status\":\"DOWN\",\"state\":\"PENDING_ERROR\"");
        readiness.streamsState(State.ERROR);
        assertHealth("/health/live", 503, "ERROR");
        assertHealth("/health/ready", 503, "ERROR");
    }

    @Test
    void aRequestedStopIsNoFailure() throws Exception {
        readiness.modelsReady(1);
        readiness.streamsState(State.RUNNING);
        readiness.stopping();
        readiness.streamsState(State.PENDING_SHUTDOWN);
        assertHealth("/health/ready", 503, "stopping");
        readiness.streamsState(State.NOT_RUNNING);
        assertHealth("/health/live", 200, "NOT_RUNNING");
    }

    @Test
    void notRunningWithoutARequestedStopIsNotLive() throws Exception {
        readiness.modelsReady(1);
        readiness.streamsState(State.NOT_RUNNING);
        assertHealth("/health/live", 503, "without a requested stop");
    }

    @Test
    void otherPathsAndMethods() throws Exception {
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/metricsx").statusCode());
        assertEquals(404, get("/health").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(url("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        HttpResponse<String> metricsPage = get("/metrics");
        assertEquals(200, metricsPage.statusCode());
        assertEquals(HttpEndpoint.METRICS_CONTENT_TYPE, metricsPage.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void aTakenDefaultPortFallsBackToAnEphemeralOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName(HOST));
                HttpEndpoint second = HttpEndpoint.start(HOST, taken.getLocalPort(), true, metrics, readiness)) {
            assertNotEquals(taken.getLocalPort(), second.port());
            assertEquals(URI.create("http://127.0.0.1:" + second.port()), second.url());
        }
    }

    @Test
    void aTakenExplicitPortIsAConfigurationError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> HttpEndpoint.start(HOST, taken.getLocalPort(), false, metrics, readiness));
            assertEquals(StreamsightConfig.HTTP_PORT, e.key());
            assertTrue(e.getMessage().startsWith("http.port: port " + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void closingReleasesThePort() throws IOException {
        int port = endpoint.port();
        endpoint.close();
        endpoint.close(); // idempotent
        try (HttpEndpoint again = HttpEndpoint.start(HOST, port, false, metrics, readiness)) {
            assertEquals(port, again.port());
        }
    }

    private void assertHealth(String path, int status, String bodyPart) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.body().contains(bodyPart), path + ": " + r.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create(endpoint.url() + path);
    }
}

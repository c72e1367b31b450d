package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code --http-port} and {@code --log-format} are validated before anything starts (exit 2, naming the key). */
class RunObservabilityOptionsTest {

    @Test
    void aTakenExplicitPortRefusesToStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("run", "--bootstrap-server", "127.0.0.1:1", "--schema-registry",
                    "http://127.0.0.1:1", "-p", "http.host=127.0.0.1", "--http-port",
                    Integer.toString(taken.getLocalPort()));
            assertEquals(2, run.status(), run.toString());
            assertTrue(run.err().contains("http.port: port " + taken.getLocalPort() + " on 127.0.0.1 is in use"),
                    run.toString());
        }
    }

    @Test
    void invalidValuesNameTheirKey() {
        CliRun port = CliRun.of("run", "--http-port", "70000");
        assertEquals(2, port.status(), port.toString());
        assertTrue(port.err().contains("http.port: must be between 0 and 65535, got 70000"), port.toString());
        CliRun format = CliRun.of("replay", "--input-topic", "t", "--model", "m", "--log-format", "xml");
        assertEquals(2, format.status(), format.toString());
        assertTrue(format.err().contains("log.format: must be text or json, got 'xml'"), format.toString());
    }
}

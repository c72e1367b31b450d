package dev.streamsight.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over HTTPS with {@code schema.registry.ssl.truststore.*}, against a certificate made by keytool. */
class TlsRegistryTest {

    private static final String PASSWORD = "changeit";
    private static final Schema SCHEMA = Schema.create(Schema.Type.STRING);

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "sr", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", dir.resolve("server.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "sr", "-keystore", dir.resolve("server.p12").toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("sr.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "sr", "-file", dir.resolve("sr.crt").toString(), "-storetype", "PKCS12",
                "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD);
    }

    @Test
    void clientTrustsTheRegistryThroughTheConfiguredTruststore() throws Exception {
        try (InProcessSchemaRegistry registry = InProcessSchemaRegistry.builder().https(serverContext()).start()) {
            assertTrue(registry.url().startsWith("https://127.0.0.1:"), registry.url());
            Map<String, String> config = Map.of("schema.registry.url", registry.url(),
                    "schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                    "schema.registry.ssl.truststore.password", PASSWORD,
                    "schema.registry.ssl.truststore.type", "PKCS12");
            try (SchemaRegistryClient client = SchemaRegistryClient.create(config)) {
                int id = client.register("tls-value", SCHEMA);
                assertEquals(List.of("tls-value"), client.getAllSubjects());
                assertEquals(id, client.lookup("tls-value", SCHEMA).id());
            }
            try (SchemaRegistryClient untrusting = SchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()))) {
                RegistryException e = assertThrows(RegistryException.class, untrusting::getAllSubjects);
                assertEquals(RegistryException.NO_RESPONSE, e.status(), "the TLS handshake fails: no response");
            }
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool timed out");
        assertEquals(0, process.exitValue(), () -> "keytool " + args[0] + " failed: " + output);
    }
}

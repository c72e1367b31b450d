package dev.streamsight.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Builds the client's {@link SSLContext} from {@code schema.registry.ssl.*} settings. */
final class SslContexts {

    private SslContexts() {
    }

    static SSLContext create(RegistryClientConfig.Ssl ssl) {
        try {
            KeyManager[] keyManagers = null;
            if (ssl.keystoreLocation().isPresent()) {
                KeyStore keyStore = load("keystore", ssl.keystoreLocation().get(), ssl.keystoreType(), ssl.keystorePassword());
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                Password keyPassword = ssl.keyPassword().or(ssl::keystorePassword).orElse(new Password(""));
                factory.init(keyStore, keyPassword.value().toCharArray());
                keyManagers = factory.getKeyManagers();
            }
            TrustManager[] trustManagers = null;
            if (ssl.truststoreLocation().isPresent()) {
                KeyStore trustStore = load("truststore", ssl.truststoreLocation().get(), ssl.truststoreType(),
                        ssl.truststorePassword());
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trustStore);
                trustManagers = factory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance(ssl.protocol());
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot build the Schema Registry TLS context: " + e.getMessage());
        }
    }

    private static KeyStore load(String what, String location, String type, Optional<Password> password)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.map(p -> p.value().toCharArray()).orElse(null));
            return store;
        } catch (IOException e) {
            throw new ConfigException(RegistryClientConfig.SSL_PREFIX + what + ".location", location,
                    "cannot read the " + what + ": " + e.getMessage());
        }
    }
}

package dev.streamsight.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Registry client settings, parsed and validated once from the usual Confluent serde keys (see the
 * module README). Immutable; {@link #toString()} masks secrets.
 *
 * @param endpoints registry base URLs in failover order, with the Authorization header for each
 * @param ssl TLS material, when any {@code schema.registry.ssl.*} key is set
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of each HTTP request (until the response headers arrive)
 * @param cacheCapacity entries in each id/schema cache
 * @param retry how calls ride through a registry outage
 */
public record RegistryClientConfig(
        List<Endpoint> endpoints, Optional<Ssl> ssl, Duration connectTimeout, Duration requestTimeout, int cacheCapacity,
        RegistryRetry retry) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String CACHE_CAPACITY = "max.schemas.per.subject";
    /** How long a call keeps retrying while the registry is unreachable or answers 5xx; 0: no retry. */
    public static final String RETRY_TIMEOUT_MS = "schema.registry.retry.timeout.ms";
    /** The first wait between attempts. */
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    /** The longest wait between attempts. */
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";

    static final String REGISTRY_PREFIX = "schema.registry.";
    private static final String MOCK_SCHEME = "mock";

    /**
     * One registry URL.
     *
     * @param baseUri scheme, host, port and path prefix, without user info or trailing slash
     * @param authorization the {@code Authorization} header value, if credentials apply
     */
    public record Endpoint(URI baseUri, Optional<String> authorization) {
        @Override
        public String toString() {
            return baseUri + authorization.map(a -> " (basic auth)").orElse("");
        }
    }

    /** Key and trust stores for TLS; a missing store means the JDK default. */
    public record Ssl(
            Optional<String> truststoreLocation, Optional<Password> truststorePassword, String truststoreType,
            Optional<String> keystoreLocation, Optional<Password> keystorePassword, String keystoreType,
            Optional<Password> keyPassword, String protocol) {
    }

    /** Parses {@code config}; throws {@link ConfigException} naming the offending key. */
    public static RegistryClientConfig from(Map<String, ?> config) {
        List<URI> urls = urls(config);
        if (isMock(urls)) {
            return new RegistryClientConfig(
                    List.of(new Endpoint(urls.getFirst(), Optional.empty())), Optional.empty(),
                    Duration.ZERO, Duration.ZERO, 1000, RegistryRetry.NONE);
        }
        String source = string(config, BASIC_AUTH_CREDENTIALS_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = secret(config, BASIC_AUTH_USER_INFO).map(Password::value);
        List<Endpoint> endpoints = new ArrayList<>();
        for (URI url : urls) {
            Optional<String> credentials = switch (source) {
                case "USER_INFO" -> Optional.of(userInfo.orElseThrow(() -> new ConfigException(BASIC_AUTH_USER_INFO,
                        "(missing)", "required when " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO")));
                case "URL" -> Optional.ofNullable(url.getRawUserInfo()).map(RegistryClientConfig::decode);
                default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source,
                        "supported values are URL and USER_INFO");
            };
            credentials.filter(c -> !c.contains(":")).ifPresent(c -> {
                throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)", "expected user:password");
            });
            endpoints.add(new Endpoint(withoutUserInfo(url), credentials.map(RegistryClientConfig::basic)));
        }
        return new RegistryClientConfig(List.copyOf(endpoints), ssl(config),
                Duration.ofMillis(positiveInt(config, CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(positiveInt(config, READ_TIMEOUT_MS, 30_000)),
                positiveInt(config, CACHE_CAPACITY, 1000), retry(config));
    }

    private static RegistryRetry retry(Map<String, ?> config) {
        RegistryRetry d = RegistryRetry.DEFAULT;
        long timeout = nonNegativeLong(config, RETRY_TIMEOUT_MS, d.timeout().toMillis());
        long backoff = nonNegativeLong(config, RETRY_BACKOFF_MS, d.initialBackoff().toMillis());
        long max = nonNegativeLong(config, RETRY_BACKOFF_MAX_MS, Math.max(backoff, d.maxBackoff().toMillis()));
        if (max < backoff) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, max, "must be at least " + RETRY_BACKOFF_MS + " ("
                    + backoff + ")");
        }
        return new RegistryRetry(Duration.ofMillis(backoff), Duration.ofMillis(max), Duration.ofMillis(timeout));
    }

    private static long nonNegativeLong(Map<String, ?> config, String key, long defaultValue) {
        Object raw = config.get(key);
        if (raw == null || String.valueOf(raw).isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(String.valueOf(raw).trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key, raw, "expected a whole number of milliseconds, 0 or more");
    }

    /** The scope of a {@code mock://scope} URL, when that is what is configured. */
    public Optional<String> mockScope() {
        URI first = endpoints.getFirst().baseUri();
        return MOCK_SCHEME.equalsIgnoreCase(first.getScheme())
                ? Optional.of(first.toString().substring((MOCK_SCHEME + "://").length()))
                : Optional.empty();
    }

    private static List<URI> urls(Map<String, ?> config) {
        Object raw = config.get(URL);
        List<String> values = switch (raw) {
            case null -> throw new ConfigException(URL, null, "missing: the Schema Registry URL(s), comma-separated");
            case Collection<?> list -> list.stream().map(String::valueOf).toList();
            default -> List.of(String.valueOf(raw).split(","));
        };
        List<URI> urls = new ArrayList<>();
        for (String value : values) {
            String trimmed = value.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals(MOCK_SCHEME)) {
                    throw new ConfigException(URL, trimmed, "expected an http://, https:// or mock:// URL");
                }
                urls.add(uri);
            } catch (URISyntaxException e) {
                throw new ConfigException(URL, trimmed, "not a URL: " + e.getMessage());
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException(URL, raw, "no URL given");
        }
        if (isMock(urls) && urls.size() > 1) {
            throw new ConfigException(URL, raw, "a mock:// URL cannot be combined with other URLs");
        }
        return urls;
    }

    private static boolean isMock(List<URI> urls) {
        return urls.stream().anyMatch(u -> MOCK_SCHEME.equalsIgnoreCase(u.getScheme()));
    }

    private static Optional<Ssl> ssl(Map<String, ?> config) {
        boolean anySslKey = config.keySet().stream().anyMatch(k -> k.startsWith(SSL_PREFIX));
        if (!anySslKey) {
            return Optional.empty();
        }
        // Only the prefixed keys: the unprefixed ssl.* keys are the Kafka client's own, for the brokers.
        Map<String, Object> ssl = new java.util.HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(SSL_PREFIX)) {
                ssl.put(key.substring(REGISTRY_PREFIX.length()), value);
            }
        });
        Object algorithm = ssl.get("ssl.endpoint.identification.algorithm");
        if (algorithm != null && !String.valueOf(algorithm).trim().equalsIgnoreCase("https")) {
            throw new ConfigException(SSL_PREFIX + "endpoint.identification.algorithm", algorithm,
                    "only HTTPS is supported: java.net.http always verifies the registry's host name");
        }
        return Optional.of(new Ssl(
                string(ssl, "ssl.truststore.location"), secret(ssl, "ssl.truststore.password"),
                string(ssl, "ssl.truststore.type").orElse("JKS"),
                string(ssl, "ssl.keystore.location"), secret(ssl, "ssl.keystore.password"),
                string(ssl, "ssl.keystore.type").orElse("JKS"),
                secret(ssl, "ssl.key.password"),
                string(ssl, "ssl.protocol").orElse("TLSv1.3")));
    }

    /** The value of {@code schema.registry.<key>}, else of {@code <key>}; blank counts as unset. */
    private static Optional<String> string(Map<String, ?> config, String key) {
        Object value = config.get(REGISTRY_PREFIX + key);
        if (value == null) {
            value = config.get(key);
        }
        if (value instanceof Password password) {
            value = password.value();
        }
        return Optional.ofNullable(value).map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Optional<Password> secret(Map<String, ?> config, String key) {
        return string(config, key).map(Password::new);
    }

    private static int positiveInt(Map<String, ?> config, String key, int defaultValue) {
        Optional<String> value = string(config, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key, value.get(), "expected a positive integer");
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL, uri.getHost(), e.getMessage());
        }
    }

    private static String decode(String rawUserInfo) {
        return java.net.URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}

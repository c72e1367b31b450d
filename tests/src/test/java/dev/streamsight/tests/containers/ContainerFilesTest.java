package dev.streamsight.tests.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.tests.containers.Dockerfile.Instruction;
import dev.streamsight.tests.containers.Dockerfile.Stage;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container files of {@code docker/} checked without a Docker engine: the Dockerfiles parsed line
 * by line (stages, user, health check, what each COPY takes and from where), the compose file, the
 * Prometheus and Grafana provisioning files parsed as YAML (services, images, health checks,
 * dependencies, mounts of files that exist, the ports and paths that must agree across files), and
 * the Grafana dashboard's PromQL against the metric names the application exports.
 */
class ContainerFilesTest {

    /**
     * Every series the dashboard may query. Must match the meter names of {@code dev.streamsight.observe}
     * as the Prometheus registry exports them ({@code streamsight_} prefix, {@code _total} for counters,
     * {@code _bucket}/{@code _count}/{@code _sum} for histograms): rename a meter there and here together.
     */
    static final Set<String> METRICS = metrics(
            List.of("streamsight_events_in_total", "streamsight_results_out_total", "streamsight_dead_letters_total",
                    "streamsight_model_info", "streamsight_ready",
                    "streamsight_kafka_consumer_fetch_manager_records_lag_max", "streamsight_jvm_memory_used_bytes"),
            List.of("streamsight_batch_size", "streamsight_queue_wait_seconds", "streamsight_fetch_seconds",
                    "streamsight_decode_seconds", "streamsight_inference_seconds"));

    /** Services that run once and exit: no health check; others may wait for their success. */
    private static final Set<String> ONE_SHOT = Set.of("connect-plugins", "connect-setup");
    private static final Set<String> REQUIRED_SERVICES =
            Set.of("kafka", "schema-registry", "connect", "streamsight", "prometheus", "grafana");
    private static final String APP = "streamsight";
    private static final int HTTP_PORT = 8080;
    private static final String STATE_ROOT = "/var/lib/streamsight";
    private static final Pattern METRIC = Pattern.compile("streamsight_[a-z0-9_]+");

    private static final Path ROOT = repositoryRoot();
    private static final Path DOCKER = ROOT.resolve("docker");

    // ---------------------------------------------------------------- Dockerfiles

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void dockerfileIsMultiStageWithANonRootRuntime(String name) throws IOException {
        Dockerfile df = Dockerfile.parse(DOCKER.resolve(name));
        List<Stage> named = df.stages().stream().filter(s -> s.name() != null).toList();
        assertTrue(named.size() >= 2, name + ": at least two named stages (FROM ... AS ...)");
        assertEquals(named.size(), named.stream().map(Stage::name).distinct().count(), name + ": stage names unique");

        Stage runtime = df.last();
        String user = runtime.last("USER").map(Instruction::args).orElseThrow(() -> new AssertionError(
                name + ": the final stage sets no USER, so it runs as root"));
        String account = runtime.substitute(user).split(":")[0];
        assertFalse(account.equals("root") || account.equals("0"), name + ": USER " + user + " is root");
        assertTrue(account.matches("[1-9][0-9]*"), name + ": USER by fixed numeric uid (runAsNonRoot can check it), got " + user);

        assertTrue(runtime.all("EXPOSE").stream().flatMap(i -> i.words().stream())
                .anyMatch(p -> p.equals(HTTP_PORT + "") || p.equals(HTTP_PORT + "/tcp")), name + ": EXPOSE " + HTTP_PORT);

        String health = runtime.last("HEALTHCHECK").map(Instruction::args)
                .orElseThrow(() -> new AssertionError(name + ": no HEALTHCHECK"));
        assertTrue(health.contains(" CMD ") || health.startsWith("CMD "), name + ": HEALTHCHECK CMD ...: " + health);
        assertTrue(Pattern.compile("http://127\\.0\\.0\\.1:(\\$\\{STREAMSIGHT_HTTP_PORT:-" + HTTP_PORT + "}|" + HTTP_PORT
                + ")/health/live").matcher(health).find(), name + ": HEALTHCHECK probes /health/live on " + HTTP_PORT);
        String tool = health.substring(health.indexOf("CMD ") + 4).strip().split("\\s+")[0];
        assertTrue(installs(runtime, tool), name + ": the health check runs " + tool + ", which the final stage installs");

        Map<String, String> env = runtime.env();
        assertEquals("/models", env.get("STREAMSIGHT_MODEL_PATH"), name);
        assertEquals("/labels", env.get("STREAMSIGHT_LABEL_PATH"), name);
        assertEquals(STATE_ROOT, env.get("STREAMSIGHT_STATE_ROOT"), name);
        assertEquals(HTTP_PORT + "", env.get("STREAMSIGHT_HTTP_PORT"), name);
        assertTrue(runtime.all("VOLUME").stream().anyMatch(v -> v.args().contains(STATE_ROOT)),
                name + ": the state root is a VOLUME");
        assertTrue(runtime.runText().contains(STATE_ROOT) && runtime.runText().contains("chown"),
                name + ": the state root is created and owned by the runtime user before it becomes a volume");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void everyCopyTakesSomethingThatExists(String name) throws IOException {
        Dockerfile df = Dockerfile.parse(DOCKER.resolve(name));
        DockerIgnore ignore = new DockerIgnore(ROOT.resolve(".dockerignore"));
        List<String> problems = new ArrayList<>();
        for (Stage stage : df.stages()) {
            for (Instruction copy : stage.instructions()) {
                if (!copy.keyword().equals("COPY") && !copy.keyword().equals("ADD")) {
                    continue;
                }
                List<String> words = copy.words().stream().map(stage::substitute).toList();
                String from = null;
                List<String> paths = new ArrayList<>();
                for (String w : words) {
                    if (w.startsWith("--from=")) {
                        from = w.substring("--from=".length());
                    } else if (!w.startsWith("--")) {
                        paths.add(w);
                    }
                }
                if (paths.size() < 2) {
                    problems.add(copy + ": no source and destination");
                    continue;
                }
                List<String> sources = paths.subList(0, paths.size() - 1);
                if (from != null) {
                    Optional<Stage> source = df.stage(from);
                    if (source.isEmpty() || source.get().index() >= stage.index()) {
                        problems.add(copy + ": --from=" + from + " names no earlier stage");
                        continue;
                    }
                    String built = source.get().runText();
                    for (String s : sources) {
                        // A path the stage's own RUN produces must be one its commands name.
                        if (!built.isEmpty() && !built.contains(stripSlash(s))) {
                            problems.add(copy + ": " + s + " is not produced by stage " + from);
                        }
                    }
                } else {
                    for (String s : sources) {
                        Path rel = Path.of(s).normalize();
                        if (rel.isAbsolute() || rel.startsWith("..")) {
                            problems.add(copy + ": " + s + " is outside the build context");
                        } else if (!Files.exists(ROOT.resolve(rel))) {
                            problems.add(copy + ": " + s + " does not exist in the repository");
                        } else if (!rel.toString().isEmpty() && ignore.excludes(rel)) {
                            problems.add(copy + ": " + s + " is excluded by .dockerignore");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems, name);

        // The JRE (or JDK) copied from an image stage lands where JAVA_HOME says.
        Stage runtime = df.last();
        String javaHome = runtime.env().get("JAVA_HOME");
        assertNotNull(javaHome, name + ": JAVA_HOME in the final stage");
        assertTrue(runtime.all("COPY").stream().anyMatch(c -> c.args().startsWith("--from=")
                && c.words().getLast().equals(javaHome)), name + ": a Java runtime is copied to " + javaHome);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void buildStageBuildsTheApplicationWithTheNativeDecoder(String name) throws Exception {
        Dockerfile df = Dockerfile.parse(DOCKER.resolve(name));
        Stage build = df.stages().stream().filter(s -> s.runText().contains("./mvnw")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no stage runs ./mvnw"));
        String run = build.runText();
        assertTrue(Pattern.compile("\\./mvnw .*-pl streams-app/app -am (package|install)").matcher(run).find(),
                name + ": builds the application module with what it needs: " + run);
        assertTrue(run.contains("-DskipTests"), name + ": -DskipTests");
        assertTrue(run.contains("STREAMSIGHT_REQUIRE_NATIVE=true"), name + ": the native JPEG decoder is required");
        assertTrue(installs(build, "gcc") && installs(build, "libjpeg62-turbo-dev"),
                name + ": the build stage installs gcc and libjpeg62-turbo-dev");
        assertEquals(name.endsWith(".cuda"), run.contains("-Pgpu"), name + ": -Pgpu exactly in the GPU image");
        if (name.endsWith(".cuda")) {
            assertEquals("onnxruntime_gpu", gpuProfileArtifact(), "the root POM's gpu profile swaps in onnxruntime_gpu");
        }

        // The layout the launcher runs: the app jar (the app POM's finalName) and lib/ beside it.
        String jar = finalName() + ".jar";
        assertTrue(run.contains("streams-app/app/target/" + jar) && run.contains("streams-app/app/target/lib"),
                name + ": the build stage collects target/" + jar + " and target/lib");

        // libjpeg.so.62 at run time: installed, or carried over from the Debian build stage.
        Stage runtime = df.last();
        assertTrue(installs(runtime, "libjpeg62-turbo")
                        || (run.contains("libjpeg.so.62") && runtime.runText().contains("ldconfig")),
                name + ": the runtime has libjpeg.so.62 (libjpeg62-turbo)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void entryPointRunsTheCliLikeTheLauncher(String name) throws IOException {
        Dockerfile df = Dockerfile.parse(DOCKER.resolve(name));
        Stage runtime = df.last();
        List<String> entry = runtime.last("ENTRYPOINT").flatMap(Instruction::execForm)
                .orElseThrow(() -> new AssertionError(name + ": ENTRYPOINT in exec form (the JVM gets SIGTERM)"));
        assertEquals(List.of("run"), runtime.last("CMD").flatMap(Instruction::execForm).orElse(List.of()),
                name + ": CMD [\"run\"]");
        Instruction copied = runtime.all("COPY").stream()
                .filter(c -> c.words().getLast().equals(entry.getFirst())).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": the entry point " + entry.getFirst() + " is not copied in"));
        assertTrue(copied.words().contains("docker/entrypoint.sh"), name + ": " + copied);
        assertTrue(copied.words().contains("--chmod=755") || Files.isExecutable(DOCKER.resolve("entrypoint.sh")),
                name + ": the entry point is executable");

        String script = Files.readString(DOCKER.resolve("entrypoint.sh"));
        String launcher = Files.readString(ROOT.resolve("streamsight"));
        Matcher exec = Pattern.compile("(?s)exec \"\\$JAVA_HOME/bin/java\"(.*?)\"\\$@\"").matcher(launcher);
        assertTrue(exec.find(), "the launcher's java command line");
        for (String word : exec.group(1).split("[\\s\\\\]+")) {
            if (word.startsWith("--") || word.startsWith("dev.streamsight.")) {
                assertTrue(script.contains(word), "entrypoint.sh passes " + word + " like the launcher");
            }
        }
        assertTrue(script.contains("exec ") && script.contains("\"$@\""), "entrypoint.sh execs java with the arguments");
        Matcher app = Pattern.compile("APP=(\\S+)").matcher(script);
        assertTrue(app.find(), "entrypoint.sh names the application directory");
        assertTrue(script.contains("$APP/" + finalName() + ".jar:$APP/lib/*"), "entrypoint.sh: the launcher's class path");
        assertTrue(runtime.all("COPY").stream().anyMatch(c -> c.words().getLast().equals(app.group(1))),
                name + ": the application is copied to " + app.group(1));
    }

    @Test
    void dockerIgnoreKeepsBuildOutputsAndHistoryOutOfTheContext() throws IOException {
        DockerIgnore ignore = new DockerIgnore(ROOT.resolve(".dockerignore"));
        for (String out : List.of(".git", "target", "streams-app/app/target", "streams-app/core/target/classes")) {
            assertTrue(ignore.excludes(Path.of(out)), ".dockerignore excludes " + out + " " + ignore.patterns());
        }
        for (String in : List.of("mvnw", ".mvn/select-jdk.sh", "pom.xml", "schemas/pom.xml", "streams-app/pom.xml",
                "streams-app/core/src/main/c/region_jpeg.c", "tests/pom.xml", "docker/entrypoint.sh",
                "docker/models/README.md")) {
            assertFalse(ignore.excludes(Path.of(in)), ".dockerignore keeps " + in);
        }
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeServicesHaveImagesHealthChecksAndValidDependencies() throws IOException {
        Map<String, Object> services = services();
        assertTrue(services.keySet().containsAll(REQUIRED_SERVICES), "services " + services.keySet());
        for (var e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = map(e.getValue(), name);
            if (s.containsKey("build")) {
                continue;
            }
            String image = string(s.get("image"), name + ".image");
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertFalse(tag.isEmpty() || tag.equals("latest"), name + ": image " + image + " pinned to a tag");
        }
        assertEquals("apache/kafka:" + pomProperty("kafka.version"), map(services.get("kafka"), "kafka").get("image"),
                "the broker runs the Kafka version of the clients (kafka.version)");
        assertEquals(map(services.get("kafka"), "kafka").get("image"), map(services.get("connect"), "connect").get("image"),
                "Connect runs the Kafka version the plugin is built against");

        for (var e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = map(e.getValue(), name);
            if (!ONE_SHOT.contains(name)) {
                Object test = s.containsKey("healthcheck") ? map(s.get("healthcheck"), name).get("test") : null;
                assertTrue(test instanceof List<?> l && !l.isEmpty(), name + ": a healthcheck test");
            }
            Object deps = s.get("depends_on");
            if (deps == null) {
                continue;
            }
            for (var d : map(deps, name + ".depends_on").entrySet()) {
                String target = d.getKey();
                assertTrue(services.containsKey(target), name + " depends on unknown service " + target);
                String condition = string(map(d.getValue(), name + ".depends_on." + target).get("condition"), "condition");
                switch (condition) {
                    case "service_healthy" -> assertTrue(map(services.get(target), target).containsKey("healthcheck"),
                            name + " waits for " + target + " to be healthy, which has no healthcheck");
                    case "service_completed_successfully" -> assertTrue(ONE_SHOT.contains(target),
                            name + " waits for " + target + " to complete, which is not a one-shot service");
                    case "service_started" -> { }
                    default -> fail(name + ": unknown depends_on condition " + condition);
                }
            }
        }
    }

    @Test
    void theApplicationServiceIsBuiltHereAndScalable() throws IOException {
        Map<String, Object> app = map(services().get(APP), APP);
        Map<String, Object> build = map(app.get("build"), APP + ".build");
        Path context = DOCKER.resolve(string(build.get("context"), "build.context")).normalize();
        assertEquals(ROOT.normalize(), context, "the build context is the repository root");
        assertTrue(Files.isRegularFile(context.resolve(string(build.get("dockerfile"), "build.dockerfile"))),
                "build.dockerfile exists");
        Object replicas = map(app.get("deploy"), APP + ".deploy").get("replicas");
        assertTrue(replicas instanceof Integer r && r >= 1, "deploy.replicas: " + replicas);
        assertFalse(app.containsKey("container_name"), "a fixed container_name stops --scale");
        assertFalse(app.containsKey("ports"), "a host port stops --scale; Prometheus scrapes on the network");

        Map<String, String> env = environment(app, APP);
        URI kafka = URI.create("kafka://" + env.get("STREAMSIGHT_BOOTSTRAP_SERVERS"));
        assertTrue(services().containsKey(kafka.getHost()), "bootstrap servers name a service: " + kafka);
        assertTrue(string(environment(map(services().get(kafka.getHost()), "kafka"), "kafka").get("KAFKA_ADVERTISED_LISTENERS"),
                "listeners").contains("//" + kafka.getHost() + ":" + kafka.getPort()), "the broker advertises " + kafka);
        URI registry = URI.create(env.get("STREAMSIGHT_SCHEMA_REGISTRY_URL"));
        assertTrue(services().containsKey(registry.getHost()), "the registry URL names a service: " + registry);
        assertEquals(HTTP_PORT + "", env.get("STREAMSIGHT_HTTP_PORT"));
        assertEquals(STATE_ROOT, env.get("STREAMSIGHT_STATE_ROOT"));
        Map<String, String> mounts = binds(app, APP);
        assertTrue(mounts.containsValue(env.get("STREAMSIGHT_MODEL_PATH")), "the model path is mounted: " + mounts);
        assertTrue(mounts.containsValue(env.get("STREAMSIGHT_LABEL_PATH")), "the label path is mounted: " + mounts);
        assertFalse(mounts.containsValue(STATE_ROOT), "replicas must not share one state directory");
        String health = String.join(" ", strings(map(app.get("healthcheck"), APP).get("test")));
        assertTrue(health.contains("127.0.0.1:" + HTTP_PORT + "/health/live"), "health check: " + health);
    }

    @Test
    void mountedFilesExistAndNamedVolumesAreDeclared() throws IOException {
        Map<String, Object> compose = compose();
        Set<String> declared = compose.get("volumes") == null ? Set.of() : map(compose.get("volumes"), "volumes").keySet();
        List<String> problems = new ArrayList<>();
        for (var e : services().entrySet()) {
            Object volumes = map(e.getValue(), e.getKey()).get("volumes");
            for (String v : volumes == null ? List.<String>of() : strings(volumes)) {
                String source = mountParts(v).getFirst();
                Matcher var = Pattern.compile("\\$\\{\\w+:-([^}]*)}").matcher(source);
                String path = var.matches() ? var.group(1) : source;
                if (path.startsWith(".") || path.startsWith("/")) {
                    Path p = DOCKER.resolve(path).normalize();
                    // Build outputs (connectors/target) exist once built; the README says to build first.
                    boolean buildOutput = ROOT.relativize(p).toString().matches("[\\w-]+/target");
                    if (!buildOutput && !Files.exists(p)) {
                        problems.add(e.getKey() + ": " + v + " mounts " + p + ", which does not exist");
                    }
                } else if (!declared.contains(path)) {
                    problems.add(e.getKey() + ": named volume " + path + " is not declared under volumes:");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void composeInterpolatesOnlyVariablesWithDefaults() throws IOException {
        // `$x` meant for a container's shell must be written `$$x`; a bare `$x` or `${X}` is replaced
        // by compose, with nothing when unset.
        List<String> lines = Files.readAllLines(DOCKER.resolve("compose.yaml"));
        Pattern allowed = Pattern.compile("\\$\\{[A-Z_][A-Z0-9_]*:-[^}]*}");
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (int i = line.indexOf('$'); i >= 0; i = line.indexOf('$', i + 1)) {
                if (i + 1 < line.length() && line.charAt(i + 1) == '$') {
                    i++;
                    continue;
                }
                Matcher m = allowed.matcher(line).region(i, line.length());
                assertTrue(m.lookingAt(), "compose.yaml line " + (n + 1) + ": interpolation without a default: " + line);
            }
        }
    }

    @Test
    void imagesDirectoryIsSharedByTheSourceConnectorAndTheApplication() throws IOException {
        Map<String, String> connectMounts = binds(map(services().get("connect"), "connect"), "connect");
        Map<String, String> appMounts = binds(map(services().get(APP), APP), APP);
        JsonNode connector = new ObjectMapper().readTree(DOCKER.resolve("connect/image-source.json").toFile());
        String dir = connector.path("directories").asText();
        assertTrue(dir.startsWith("/"), "the connector watches an absolute directory: " + dir);
        String source = connectMounts.entrySet().stream().filter(m -> m.getValue().equals(dir)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("Connect mounts nothing at " + dir + ": " + connectMounts));
        assertEquals(dir, appMounts.get(source), "the application sees the images at the path the events carry");
        assertEquals(dir, environment(map(services().get(APP), APP), APP).get("STREAMSIGHT_FETCH_FILE_ROOTS"),
                "fetch.file.roots lets the application read them");
        assertTrue(connector.path("connector.class").asText().startsWith("dev.streamsight.connect."), "connector class");

        // The worker loads plugins from the volume the connect-plugins service unpacks the zip into.
        Map<String, Object> connect = map(services().get("connect"), "connect");
        Properties worker = new Properties();
        String propsFile = connectMounts.entrySet().stream().filter(m -> m.getKey().endsWith(".properties"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no worker properties mounted"));
        worker.load(new StringReader(Files.readString(DOCKER.resolve(propsFile))));
        assertTrue(strings(connect.get("command")).contains(connectMounts.get(propsFile)), "Connect runs the mounted properties");
        String pluginVolume = volumeMountedAt(connect, worker.getProperty("plugin.path"))
                .orElseThrow(() -> new AssertionError("plugin.path " + worker.getProperty("plugin.path") + " is not mounted"));
        assertTrue(volumeMountedAt(map(services().get("connect-plugins"), "connect-plugins"), "/plugins")
                .filter(pluginVolume::equals).isPresent(), "connect-plugins unpacks into " + pluginVolume);
        String registry = worker.getProperty("value.converter.schema.registry.url");
        assertTrue(services().containsKey(URI.create(registry).getHost()), "the converter's registry is a service: " + registry);
    }

    // ---------------------------------------------------------------- Prometheus and Grafana

    @Test
    void prometheusScrapesEveryReplicaThroughDns() throws IOException {
        Map<String, Object> prometheus = map(services().get("prometheus"), "prometheus");
        assertTrue(binds(prometheus, "prometheus").containsKey("./prometheus/prometheus.yml"), "prometheus.yml is mounted");
        Map<String, Object> config = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
        Map<String, Object> job = list(config.get("scrape_configs"), "scrape_configs").stream()
                .map(j -> map(j, "job")).filter(j -> APP.equals(j.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job " + APP));
        assertEquals("/metrics", job.get("metrics_path"));
        List<Object> dns = list(job.get("dns_sd_configs"), "dns_sd_configs");
        assertEquals(1, dns.size());
        Map<String, Object> sd = map(dns.getFirst(), "dns_sd_configs[0]");
        assertEquals(List.of(APP), sd.get("names"), "DNS discovery on the compose service name");
        assertEquals("A", sd.get("type"));
        assertEquals(HTTP_PORT, sd.get("port"));
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboard() throws IOException {
        Map<String, Object> grafana = map(services().get("grafana"), "grafana");
        Map<String, String> mounts = binds(grafana, "grafana");
        assertEquals("/etc/grafana/provisioning", mounts.get("./grafana/provisioning"));
        Map<String, Object> ds = onlyDatasource();
        URI url = URI.create(string(ds.get("url"), "datasource url"));
        assertTrue(services().containsKey(url.getHost()), "the datasource URL names a service: " + url);
        assertTrue(binds(map(services().get(url.getHost()), url.getHost()), url.getHost()).containsKey("./prometheus/prometheus.yml"),
                "the datasource is the Prometheus that scrapes Streamsight");

        Map<String, Object> providers = yaml(DOCKER.resolve("grafana/provisioning/dashboards/streamsight.yaml"));
        Map<String, Object> provider = map(list(providers.get("providers"), "providers").getFirst(), "provider");
        String path = string(map(provider.get("options"), "options").get("path"), "options.path");
        String hostDir = mounts.entrySet().stream().filter(m -> m.getValue().equals(path)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("dashboards path " + path + " is not mounted"));
        assertTrue(Files.isRegularFile(DOCKER.resolve(hostDir).resolve("streamsight.json")), "the dashboard is in " + hostDir);
        String home = environment(grafana, "grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertEquals(path + "/streamsight.json", home, "the home dashboard is the mounted one");
    }

    @Test
    void dashboardQueriesOnlyExportedMetricsFromTheProvisionedDatasource() throws IOException {
        String uid = string(onlyDatasource().get("uid"), "datasource uid");
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/streamsight.json").toFile());
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // collapsed rows
        });
        assertFalse(panels.isEmpty(), "the dashboard has panels");
        Set<String> used = new TreeSet<>();
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        Pattern quantile = Pattern.compile("histogram_quantile\\(\\s*[0-9.]+\\s*,\\s*sum by \\(([^)]*)\\)\\s*\\(rate\\((\\w+)");
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            if (!ids.add(p.path("id").asInt())) {
                problems.add(title + ": duplicate panel id " + p.path("id"));
            }
            if (!p.has("gridPos")) {
                problems.add(title + ": no gridPos");
            }
            if (p.path("targets").isEmpty()) {
                problems.add(title + ": no queries");
            }
            for (JsonNode t : p.path("targets")) {
                String ds = t.path("datasource").path("uid").asText(p.path("datasource").path("uid").asText());
                if (!uid.equals(ds)) {
                    problems.add(title + ": datasource uid " + ds + ", the provisioned one is " + uid);
                }
                String expr = t.path("expr").asText();
                if (expr.isBlank()) {
                    problems.add(title + ": empty query");
                }
                if (expr.chars().filter(c -> c == '(').count() != expr.chars().filter(c -> c == ')').count()) {
                    problems.add(title + ": unbalanced parentheses in " + expr);
                }
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    used.add(m.group());
                    if (!METRICS.contains(m.group())) {
                        problems.add(title + ": " + m.group() + " is not an exported metric");
                    }
                }
                Matcher q = quantile.matcher(expr);
                while (q.find()) {
                    if (!q.group(2).endsWith("_bucket") || !List.of(q.group(1).split("\\s*,\\s*")).contains("le")) {
                        problems.add(title + ": histogram_quantile needs a _bucket series summed by le: " + expr);
                    }
                }
                if (expr.contains("histogram_quantile") && !q.reset().find()) {
                    problems.add(title + ": histogram_quantile not over sum by (le, ...) (rate(..._bucket[...])): " + expr);
                }
            }
        }
        assertEquals(List.of(), problems);
        // Every family has a panel: throughput, dead letters, batching, the four stage latencies, lag,
        // ready instances, providers, heap.
        Set<String> families = new TreeSet<>();
        METRICS.forEach(metric -> families.add(family(metric)));
        Set<String> shown = new TreeSet<>();
        used.forEach(metric -> shown.add(family(metric)));
        assertEquals(families, shown, "a panel for every exported metric family");
    }

    // ---------------------------------------------------------------- helpers

    private static Set<String> metrics(List<String> plain, List<String> histograms) {
        Set<String> all = new TreeSet<>(plain);
        for (String h : histograms) {
            all.addAll(List.of(h + "_bucket", h + "_count", h + "_sum"));
        }
        return Set.copyOf(all);
    }

    private static String family(String metric) {
        return metric.replaceFirst("_(bucket|count|sum)$", "");
    }

    private static boolean installs(Stage stage, String pkg) {
        return Pattern.compile("apt-get install[^&;]*\\s" + Pattern.quote(pkg) + "(\\s|$)").matcher(stage.runText()).find();
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Map<String, Object> onlyDatasource() throws IOException {
        Map<String, Object> file = yaml(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml"));
        List<Object> all = list(file.get("datasources"), "datasources");
        assertEquals(1, all.size(), "one provisioned datasource");
        Map<String, Object> ds = map(all.getFirst(), "datasource");
        assertEquals("prometheus", ds.get("type"));
        return ds;
    }

    private static Map<String, Object> compose() throws IOException {
        return yaml(DOCKER.resolve("compose.yaml"));
    }

    private static Map<String, Object> services() throws IOException {
        return map(compose().get("services"), "services");
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        return map(doc, file.toString());
    }

    /** A service's environment, map or list form, values as strings. */
    private static Map<String, String> environment(Map<String, Object> service, String name) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(k.toString(), v == null ? null : v.toString()));
        } else if (env instanceof List<?> l) {
            l.forEach(e -> {
                String s = e.toString();
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            });
        } else if (env != null) {
            fail(name + ".environment: a map or a list");
        }
        return out;
    }

    /** A service's mounts in short syntax: source as written to target path. */
    private static Map<String, String> binds(Map<String, Object> service, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        Object volumes = service.get("volumes");
        for (String v : volumes == null ? List.<String>of() : strings(volumes)) {
            List<String> parts = mountParts(v);
            assertTrue(parts.size() >= 2, name + ": volume " + v + " as source:target[:mode]");
            out.put(parts.get(0), parts.get(1));
        }
        return out;
    }

    /** A short-syntax mount split on the colons outside {@code ${...}} (whose {@code :-} is no separator). */
    private static List<String> mountParts(String mount) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < mount.length(); i++) {
            char c = mount.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(mount.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(mount.substring(start));
        return parts;
    }

    private static Optional<String> volumeMountedAt(Map<String, Object> service, String target) {
        return binds(service, "service").entrySet().stream().filter(m -> m.getValue().equals(target))
                .map(Map.Entry::getKey).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map, what + ": expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) {
        assertTrue(o instanceof List, what + ": expected a list, got " + o);
        return (List<Object>) o;
    }

    private static List<String> strings(Object o) {
        return list(o, "list").stream().map(Object::toString).toList();
    }

    private static String string(Object o, String what) {
        assertTrue(o instanceof String, what + ": expected a string, got " + o);
        return (String) o;
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String pomProperty(String name) {
        try {
            NodeList props = pom(ROOT.resolve("pom.xml")).getDocumentElement().getElementsByTagName("properties");
            return ((Element) props.item(0)).getElementsByTagName(name).item(0).getTextContent().strip();
        } catch (Exception e) {
            throw new AssertionError("root POM property " + name, e);
        }
    }

    /** The ONNX Runtime artifact the root POM's {@code gpu} profile selects. */
    private static String gpuProfileArtifact() throws Exception {
        NodeList profiles = pom(ROOT.resolve("pom.xml")).getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            if (p.getElementsByTagName("id").item(0).getTextContent().strip().equals("gpu")) {
                return p.getElementsByTagName("onnxruntime.artifact").item(0).getTextContent().strip();
            }
        }
        throw new AssertionError("the root POM has no gpu profile");
    }

    private static String finalName() {
        try {
            return pom(ROOT.resolve("streams-app/app/pom.xml")).getElementsByTagName("finalName").item(0)
                    .getTextContent().strip();
        } catch (Exception e) {
            throw new AssertionError("streams-app/app/pom.xml finalName", e);
        }
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker/compose.yaml")) && Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new AssertionError("no repository root with docker/compose.yaml above " + Path.of("").toAbsolutePath());
    }
}

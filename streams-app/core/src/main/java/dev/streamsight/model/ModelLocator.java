package dev.streamsight.model;

import dev.streamsight.model.internal.Files2;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the user typed after {@code --model} (a catalog id or a file path) into a
 * {@link ModelSource}: a file ready to load plus its descriptor.
 *
 * <p><b>By id.</b> The catalog entry's {@code file} (also {@code file.gz}, and for an
 * {@code .onnx.gz} entry the plain {@code .onnx}) is looked for in each model-path directory, then in
 * {@code <cache>/models}. An id the catalog does not know is looked for as {@code <id>.onnx} and
 * {@code <id>.onnx.gz}. If the file is nowhere and the entry has a URL and downloads are allowed, it
 * is downloaded into {@code <cache>/models} (temporary file, SHA-256 verified against the catalog,
 * then moved into place atomically). Otherwise a {@link ModelException} lists every place looked.
 *
 * <p><b>By path</b> (the argument contains a path separator, ends in {@code .onnx} or
 * {@code .onnx.gz}, or names an existing file). The descriptor is, in order: an explicit descriptor
 * file, a sidecar {@code <name>.json} or {@code <name>.onnx.json} beside the model, the catalog entry
 * with the same SHA-256 or file name, else none (null: the engine describes the model from its ONNX
 * metadata).
 *
 * <p>Gzipped models are decompressed once, streamed, into
 * {@code <cache>/unpacked/<name>-<16 hex of the .gz SHA-256>.onnx}; later calls reuse that file.
 * SHA-256 digests are cached per (path, size, mtime), so a 500 MB model is hashed once per process.
 *
 * <p>Thread-safe: instances are immutable, and concurrent downloads or decompressions of the same
 * file are serialised within the process and atomic on disk across processes.
 */
public final class ModelLocator {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLocator.class);

    /** ':'-separated directories searched for model files. */
    public static final String ENV_MODEL_PATH = "STREAMSIGHT_MODEL_PATH";
    /** Cache directory for downloads and unpacked models (default {@code ~/.cache/streamsight}). */
    public static final String ENV_CACHE_DIR = "STREAMSIGHT_CACHE_DIR";
    /** {@code true} (or 1, yes) disables downloads. */
    public static final String ENV_OFFLINE = "STREAMSIGHT_OFFLINE";

    private final List<Path> modelPath;
    private final Path cacheDir;
    private final boolean allowDownload;
    private final ModelCatalog catalog;
    private final Downloader downloader;

    /**
     * @param modelPath directories searched in order for model files
     * @param cacheDir cache root: {@code models/} for downloads, {@code unpacked/} for gunzipped models
     * @param allowDownload whether catalog URLs may be fetched
     * @param catalog the catalog ids resolve against
     * @param downloader how URLs are fetched
     */
    public ModelLocator(List<Path> modelPath, Path cacheDir, boolean allowDownload, ModelCatalog catalog,
            Downloader downloader) {
        this.modelPath = List.copyOf(modelPath);
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.allowDownload = allowDownload;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /** A locator configured from the process environment, with the built-in catalog. */
    public static ModelLocator fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * A locator configured from the given environment: {@value #ENV_MODEL_PATH} (default
     * {@code models} in the working directory), {@value #ENV_CACHE_DIR} (default
     * {@code ~/.cache/streamsight}), {@value #ENV_OFFLINE}.
     */
    public static ModelLocator fromEnvironment(Map<String, String> env) {
        return new ModelLocator(modelPath(env), cacheDir(env), !offline(env), ModelCatalog.builtIn(),
                Downloader.http());
    }

    static List<Path> modelPath(Map<String, String> env) {
        List<Path> dirs = splitPath(env.get(ENV_MODEL_PATH));
        return dirs.isEmpty() ? List.of(Path.of("models")) : dirs;
    }

    static Path cacheDir(Map<String, String> env) {
        String dir = env.get(ENV_CACHE_DIR);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "streamsight");
    }

    static boolean offline(Map<String, String> env) {
        String v = env.get(ENV_OFFLINE);
        return v != null && List.of("true", "1", "yes", "on").contains(v.trim().toLowerCase(Locale.ROOT));
    }

    static List<Path> splitPath(String value) {
        List<Path> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(":")) {
                if (!part.isBlank()) {
                    out.add(Path.of(part.trim()));
                }
            }
        }
        return out;
    }

    public List<Path> modelPath() {
        return modelPath;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public boolean allowDownload() {
        return allowDownload;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** Resolves a catalog id or a model file path. */
    public ModelSource locate(String idOrPath) {
        return locate(idOrPath, null);
    }

    /**
     * Resolves a catalog id or a model file path, with {@code descriptorFile} (nullable) taking the
     * place of the catalog entry or sidecar.
     */
    public ModelSource locate(String idOrPath, Path descriptorFile) {
        Objects.requireNonNull(idOrPath, "idOrPath");
        if (idOrPath.isBlank()) {
            throw new ModelException("no model given: pass a catalog id or an .onnx file path");
        }
        ModelDescriptor explicit = descriptorFile == null ? null : ModelDescriptors.read(descriptorFile);
        try {
            return isPath(idOrPath) ? byPath(Path.of(idOrPath), explicit) : byId(idOrPath, explicit);
        } catch (IOException e) {
            throw new ModelException("model '" + idOrPath + "': " + e, e);
        }
    }

    static boolean isPath(String arg) {
        String lower = arg.toLowerCase(Locale.ROOT);
        return arg.indexOf('/') >= 0 || arg.indexOf(File.separatorChar) >= 0
                || lower.endsWith(".onnx") || lower.endsWith(".onnx.gz")
                || Files.isRegularFile(Path.of(arg));
    }

    private ModelSource byPath(Path file, ModelDescriptor explicit) throws IOException {
        List<String> searched = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            searched.add(file.toAbsolutePath() + " (absent)");
            throw notFound("model file " + file, searched);
        }
        searched.add(file.toAbsolutePath() + " (found)");
        String sha = Files2.sha256(file);
        ModelDescriptor d = explicit != null ? explicit : describe(file, sha, searched);
        if (d != null && !ModelCatalog.ORIGIN.equals(d.origin())) {
            // A catalog entry matched by file name may describe another export of that name; a
            // descriptor written for this file (explicit, sidecar) describes exactly it.
            checkSha256("model " + file, file, sha, d);
        }
        return new ModelSource(ready(file, sha), d, sha, searched);
    }

    private ModelSource byId(String id, ModelDescriptor explicit) throws IOException {
        ModelDescriptor entry = explicit != null ? explicit : catalog.find(id).orElse(null);
        String file = entry != null && entry.file() != null ? entry.file() : id + ".onnx";
        List<String> names = candidates(file);
        List<Path> dirs = new ArrayList<>(modelPath);
        dirs.add(cacheDir.resolve("models"));
        List<String> searched = new ArrayList<>();
        for (Path dir : dirs) {
            for (String name : names) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    searched.add(p.toAbsolutePath() + " (found)");
                    String sha = Files2.sha256(p);
                    ModelDescriptor d = entry != null ? entry : describe(p, sha, searched);
                    checkSha256("model '" + id + "'", p, sha, d);
                    return new ModelSource(ready(p, sha), d, sha, searched);
                }
                searched.add(p.toAbsolutePath() + " (absent)");
            }
        }
        String what = entry == null ? "model '" + id + "' (not in the catalog)" : "model '" + id + "'";
        for (Path dir : modelPath) {
            for (String sidecar : List.of(id + ".json", id + ".onnx.json")) {
                if (entry == null && Files.isRegularFile(dir.resolve(sidecar))) {
                    // The descriptor is there, the model it describes is not: say so first.
                    what = "model '" + id + "' (descriptor " + dir.resolve(sidecar).toAbsolutePath()
                            + " found, its model file " + file + " missing)";
                    searched.add("descriptor " + dir.resolve(sidecar).toAbsolutePath()
                            + " (found, no model file)");
                }
            }
        }
        if (entry == null || entry.url() == null) {
            searched.add("download: no URL in catalog");
            throw notFound(what, searched);
        }
        if (!allowDownload) {
            searched.add("download: disabled (" + ENV_OFFLINE + ")");
            throw notFound(what, searched);
        }
        Path target = cacheDir.resolve("models").resolve(entry.file());
        try {
            download(URI.create(entry.url()), target, entry.sha256());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelException me) {
                throw me;
            }
            searched.add("download " + entry.url() + ": failed: " + e.getMessage());
            throw new ModelException(notFound(what, searched).getMessage(), e);
        }
        searched.add("download " + entry.url() + " -> " + target.toAbsolutePath());
        String sha = Files2.sha256(target);
        return new ModelSource(ready(target, sha), entry, sha, searched);
    }

    /** file, file.gz, and for an .onnx.gz name the plain .onnx too. */
    static List<String> candidates(String file) {
        List<String> names = new ArrayList<>();
        names.add(file);
        if (file.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            names.add(file.substring(0, file.length() - 3));
        } else {
            names.add(file + ".gz");
        }
        return names;
    }

    private ModelDescriptor describe(Path model, String sha, List<String> searched) {
        String name = model.getFileName().toString();
        String stem = ModelCatalog.stem(name);
        Path dir = model.toAbsolutePath().getParent();
        List<String> sidecars = new ArrayList<>(List.of(stem + ".json", stem + ".onnx.json"));
        if (!sidecars.contains(name + ".json")) {
            sidecars.add(name + ".json");
        }
        for (String s : sidecars) {
            Path sidecar = dir.resolve(s);
            if (Files.isRegularFile(sidecar)) {
                searched.add("sidecar " + sidecar + " (found)");
                return ModelDescriptors.read(sidecar, stem, name, "sidecar:" + sidecar);
            }
            searched.add("sidecar " + sidecar + " (absent)");
        }
        return catalog.findBySha256(sha).or(() -> catalog.findByFileName(name)).orElse(null);
    }

    /**
     * Refuses a model file whose SHA-256 is not the one its descriptor names: a truncated or corrupt
     * copy, or another model under the descriptor's file name. Only a descriptor that names this very
     * file is compared (a {@code .gz} entry's digest is of the {@code .gz}, not of a plain copy).
     */
    private static void checkSha256(String what, Path found, String sha, ModelDescriptor d) {
        if (d == null || d.sha256() == null || d.sha256().isBlank()) {
            return;
        }
        if (d.file() != null && !d.file().equals(found.getFileName().toString())) {
            return;
        }
        if (!d.sha256().equalsIgnoreCase(sha)) {
            throw new ModelException(what + ": file " + found.toAbsolutePath() + " has sha256 " + sha
                    + " but its descriptor (" + d.origin() + ") expects " + d.sha256().toLowerCase(Locale.ROOT)
                    + ": the file is truncated, corrupt or another model");
        }
    }

    /** The loadable .onnx for a found file: itself, or its decompressed copy in the cache. */
    private Path ready(Path file, String sha) throws IOException {
        String name = file.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return file;
        }
        String base = name.substring(0, name.length() - 3).replaceFirst("(?i)\\.onnx$", "");
        Path target = cacheDir.resolve("unpacked").resolve(base + "-" + sha.substring(0, 16) + ".onnx");
        if (Files2.gunzip(file, target)) {
            LOG.info("unpacked {} to {}", file, target);
        }
        return target;
    }

    private void download(URI uri, Path target, String expectedSha) throws IOException {
        synchronized (Files2.lockFor(target)) {
            if (Files.isRegularFile(target)) {
                return;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".download");
            try {
                LOG.info("downloading {} to {}", uri, target);
                downloader.download(uri, tmp);
                String actual = Files2.sha256(tmp);
                if (expectedSha == null) {
                    LOG.warn("{}: no checksum in the catalog; downloaded file has sha256 {}", uri, actual);
                } else if (!expectedSha.equalsIgnoreCase(actual)) {
                    throw new ModelException("download " + uri + ": sha256 mismatch: expected "
                            + expectedSha + ", actual " + actual + " (the downloaded file was deleted)");
                }
                Files2.moveAtomically(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private ModelException notFound(String what, List<String> searched) {
        StringBuilder sb = new StringBuilder(what).append(" not found. Looked in:");
        for (String s : searched) {
            sb.append("\n  ").append(s);
        }
        sb.append("\nPut the file in a directory on ").append(ENV_MODEL_PATH)
                .append(" or pass its path.");
        return new ModelException(sb.toString());
    }
}

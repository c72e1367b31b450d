package dev.streamsight.model;

import dev.streamsight.model.internal.Files2;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Resolves a label reference ({@link Labels}) to the list of class names, index = class id.
 * Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@value Labels#IMAGENET}: {@value Labels#IMAGENET_FILE} in a label-path directory, then in
 *       {@code <cache>/labels}; otherwise, when allowed, downloaded from {@link Labels#IMAGENET_URL},
 *       SHA-256 verified, into {@code <cache>/labels}.
 *   <li>{@value Labels#COCO80}: the built-in {@link Labels#COCO80_NAMES}.
 *   <li>{@value Labels#METADATA}: the {@code names} entry of the ONNX metadata.
 *   <li>anything else: a label file path; a relative path that does not exist from the working
 *       directory is also looked for in each label-path directory.
 * </ul>
 * A reference that resolves nowhere is a {@link ModelException} naming every place looked.
 */
public final class LabelResolver {
    /** ':'-separated directories searched for label files. */
    public static final String ENV_LABEL_PATH = "STREAMSIGHT_LABEL_PATH";

    private final List<Path> labelPath;
    private final Path cacheDir;
    private final boolean allowDownload;
    private final Downloader downloader;

    public LabelResolver(List<Path> labelPath, Path cacheDir, boolean allowDownload, Downloader downloader) {
        this.labelPath = List.copyOf(labelPath);
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.allowDownload = allowDownload;
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /** From the process environment (see {@link #fromEnvironment(Map)}). */
    public static LabelResolver fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Label path = {@value #ENV_LABEL_PATH} entries, then each {@code STREAMSIGHT_MODEL_PATH}
     * directory and its sibling {@code ../labels}; cache and offline switch as for
     * {@link ModelLocator#fromEnvironment(Map)}.
     */
    public static LabelResolver fromEnvironment(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>(ModelLocator.splitPath(env.get(ENV_LABEL_PATH)));
        for (Path m : ModelLocator.modelPath(env)) {
            dirs.add(m);
            Path parent = m.toAbsolutePath().normalize().getParent();
            if (parent != null) {
                dirs.add(parent.resolve("labels"));
            }
        }
        return new LabelResolver(new ArrayList<>(dirs), ModelLocator.cacheDir(env),
                !ModelLocator.offline(env), Downloader.http());
    }

    public List<Path> labelPath() {
        return labelPath;
    }

    /**
     * The class names for {@code ref}.
     *
     * @param onnxMetadata the model's custom metadata (needed for {@value Labels#METADATA}); may be null
     */
    public List<String> resolve(String ref, Map<String, String> onnxMetadata) {
        if (ref == null || ref.isBlank()) {
            throw new ModelException("no labels reference given");
        }
        return switch (ref) {
            case Labels.COCO80 -> Labels.COCO80_NAMES;
            case Labels.METADATA -> fromMetadata(onnxMetadata);
            case Labels.IMAGENET -> imagenet();
            default -> file(ref);
        };
    }

    private static List<String> fromMetadata(Map<String, String> metadata) {
        String names = metadata == null ? null : metadata.get("names");
        if (names == null) {
            throw new ModelException("labels 'metadata': the model's ONNX metadata has no 'names' entry"
                    + " (looked in: ONNX custom metadata map); give a label file or set instead");
        }
        return UltralyticsMetadata.parseNames(names);
    }

    private List<String> imagenet() {
        List<String> searched = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(labelPath);
        dirs.add(cacheDir.resolve("labels"));
        for (Path dir : dirs) {
            Path p = dir.resolve(Labels.IMAGENET_FILE);
            if (Files.isRegularFile(p)) {
                return Labels.read(p);
            }
            searched.add(p.toAbsolutePath() + " (absent)");
        }
        if (!allowDownload) {
            searched.add("download: disabled (" + ModelLocator.ENV_OFFLINE + ")");
            throw notFound(Labels.IMAGENET, searched, null);
        }
        Path target = cacheDir.resolve("labels").resolve(Labels.IMAGENET_FILE);
        try {
            synchronized (Files2.lockFor(target)) {
                if (!Files.isRegularFile(target)) {
                    Files.createDirectories(target.getParent());
                    Path tmp = Files.createTempFile(target.getParent(), Labels.IMAGENET_FILE, ".download");
                    try {
                        downloader.download(URI.create(Labels.IMAGENET_URL), tmp);
                        String actual = Files2.sha256(tmp);
                        if (!Labels.IMAGENET_SHA256.equals(actual)) {
                            throw new ModelException("download " + Labels.IMAGENET_URL
                                    + ": sha256 mismatch: expected " + Labels.IMAGENET_SHA256
                                    + ", actual " + actual + " (the downloaded file was deleted)");
                        }
                        Files2.moveAtomically(tmp, target);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
        } catch (IOException e) {
            searched.add("download " + Labels.IMAGENET_URL + ": failed: " + e.getMessage());
            throw notFound(Labels.IMAGENET, searched, e);
        }
        return Labels.read(target);
    }

    private List<String> file(String ref) {
        List<String> searched = new ArrayList<>();
        Path direct = Path.of(ref);
        if (Files.isRegularFile(direct)) {
            return Labels.read(direct);
        }
        searched.add(direct.toAbsolutePath() + " (absent)");
        if (!direct.isAbsolute()) {
            for (Path dir : labelPath) {
                Path p = dir.resolve(ref);
                if (Files.isRegularFile(p)) {
                    return Labels.read(p);
                }
                searched.add(p.toAbsolutePath() + " (absent)");
            }
        }
        throw notFound(ref, searched, null);
    }

    private static ModelException notFound(String ref, List<String> searched, Throwable cause) {
        StringBuilder sb = new StringBuilder("labels '").append(ref).append("' not found. Looked in:");
        for (String s : searched) {
            sb.append("\n  ").append(s);
        }
        sb.append("\nPut the file in a directory on ").append(ENV_LABEL_PATH).append(" or give its path.");
        return new ModelException(sb.toString(), cause);
    }
}

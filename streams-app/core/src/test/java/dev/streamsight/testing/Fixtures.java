package dev.streamsight.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the shared fixtures (models, labels, photos) that live beside the repository in
 * {@code ../shared}. Surefire sets {@code STREAMSIGHT_SHARED_DIR}; outside Maven the directory is
 * found by walking up from the working directory. Tests fail, rather than skip, when it is missing:
 * the fixtures are part of every developer machine and of CI.
 */
public final class Fixtures {
    private static final Path SHARED = locate();

    private Fixtures() {
    }

    public static Path shared() {
        return SHARED;
    }

    public static Path model(String fileName) {
        return existing(SHARED.resolve("models").resolve(fileName));
    }

    public static Path archModel(String fileName) {
        return existing(SHARED.resolve("models/arch").resolve(fileName));
    }

    public static Path label(String fileName) {
        return existing(SHARED.resolve("labels").resolve(fileName));
    }

    public static Path photo(String fileName) {
        return existing(SHARED.resolve("images/photos").resolve(fileName));
    }

    public static Path photosDir() {
        return existing(SHARED.resolve("images/photos"));
    }

    public static Path imagenetSampleDir() {
        return existing(SHARED.resolve("images/imagenet-sample"));
    }

    /** Files of a directory, sorted by name. */
    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture missing: " + p);
        }
        return p;
    }

    private static Path locate() {
        String env = System.getenv("STREAMSIGHT_SHARED_DIR");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "models"))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("models"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the shared fixtures: set STREAMSIGHT_SHARED_DIR"
                + " or place ../shared beside the repository");
    }
}

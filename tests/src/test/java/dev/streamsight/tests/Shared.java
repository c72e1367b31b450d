package dev.streamsight.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared fixtures beside the repository (see the root POM's surefire configuration). */
final class Shared {
    static final Path DIR = locate();

    private Shared() {
    }

    static Path photo(String name) {
        return existing(DIR.resolve("images/photos").resolve(name));
    }

    static Path photos() {
        return existing(DIR.resolve("images/photos"));
    }

    static Path imagenetSample() {
        return existing(DIR.resolve("images/imagenet-sample"));
    }

    static Path arch() {
        return existing(DIR.resolve("models/arch"));
    }

    static List<String> synsets() {
        try {
            return Files.readAllLines(existing(DIR.resolve("labels/imagenet_synsets.txt"))).stream()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared fixture missing: " + p);
        }
        return p;
    }

    private static Path locate() {
        String env = System.getenv("STREAMSIGHT_SHARED_DIR");
        if (env != null && Files.isDirectory(Path.of(env, "models"))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/models"))) {
                return d.resolve("shared");
            }
        }
        throw new IllegalStateException("cannot find ../shared; set STREAMSIGHT_SHARED_DIR");
    }
}

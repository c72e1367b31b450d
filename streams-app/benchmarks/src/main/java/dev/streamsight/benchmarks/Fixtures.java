package dev.streamsight.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmarks' inputs from the shared fixtures directory: {@code $STREAMSIGHT_SHARED_DIR}, else
 * {@code ../shared} relative to the working directory (the layout beside a checkout). Missing
 * fixtures fail the benchmark's setup with a message that says where they were looked for.
 */
final class Fixtures {
    static final String ENV = "STREAMSIGHT_SHARED_DIR";

    /** The photos of at least 1000 px of the fixtures, those on which the fast path also scales the DCT. */
    private static final List<String> LARGE = List.of("winml_cat.jpg", "winml_dog_golden_retriever.jpg",
            "pytorch_hub_dog_samoyed.jpg");

    private Fixtures() {
    }

    /** The shared fixtures directory. */
    static Path sharedDir() {
        String env = System.getenv(ENV);
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared");
        if (!Files.isDirectory(dir.resolve("images"))) {
            throw new IllegalStateException("shared fixtures not found: " + dir.toAbsolutePath().normalize()
                    + " has no images/ directory; set " + ENV + " to the fixtures directory"
                    + (env == null ? " or run from a directory whose ../shared holds them (a checkout's root beside them)" : ""));
        }
        return dir;
    }

    /**
     * The encoded bytes of a photo set: {@code imagenet-sample} (the 50 ImageNet validation photos,
     * mostly 500x375) or {@code large} (the three photos of 1000 to 1546 px).
     */
    static List<byte[]> photos(String set) {
        Path images = sharedDir().resolve("images");
        List<Path> files = switch (set) {
            case "imagenet-sample" -> list(images.resolve("imagenet-sample"));
            case "large" -> LARGE.stream().map(images.resolve("photos")::resolve).toList();
            default -> throw new IllegalArgumentException("unknown photo set " + set);
        };
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(read(f));
        }
        return out;
    }

    /** One label per line of {@code labels/<file>}. */
    static List<String> labels(String file) {
        Path path = sharedDir().resolve("labels").resolve(file);
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read labels " + path, e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no photos in " + dir);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

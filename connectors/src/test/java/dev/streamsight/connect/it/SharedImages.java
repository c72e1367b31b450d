package dev.streamsight.connect.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The real photos of the shared fixtures ({@code STREAMSIGHT_SHARED_DIR} or {@code ../shared}). */
final class SharedImages {

    private SharedImages() {
    }

    /** The photos, sorted; the calling test is skipped (with the reason) when they are absent. */
    static List<Path> photos() throws IOException {
        String env = System.getenv("STREAMSIGHT_SHARED_DIR");
        Path shared = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "..", "shared");
        Path images = shared.resolve("images");
        assumeTrue(Files.isDirectory(images), "shared images not found at " + images.toAbsolutePath()
                + "; set STREAMSIGHT_SHARED_DIR to the fixtures directory");
        List<Path> photos;
        try (Stream<Path> files = Files.walk(images)) {
            photos = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(jpe?g|png)"))
                    .sorted().toList();
        }
        assumeTrue(!photos.isEmpty(), "no photos under " + images);
        return photos;
    }

    /**
     * Copies {@code count} photos into {@code dir} as {@code <prefix><i>.jpg}, cycling through the
     * fixtures; bytes after a JPEG's end marker are ignored by decoders, so each copy gets a unique
     * trailer and hence its own content hash. The files are dated a minute ago (settled).
     */
    static List<Path> drop(Path dir, String prefix, int from, int count) throws IOException {
        List<Path> photos = photos();
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Path source = photos.get(i % photos.size());
            String ext = source.getFileName().toString().toLowerCase().endsWith(".png") ? ".png" : ".jpg";
            Path target = dir.resolve(prefix + i + ext);
            Path partial = dir.resolve("." + prefix + i + ".part");
            Files.copy(source, partial);
            Files.write(partial, ("streamsight-copy-" + prefix + i).getBytes(StandardCharsets.US_ASCII),
                    java.nio.file.StandardOpenOption.APPEND);
            Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minusSeconds(60)));
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
        }
        return written;
    }
}

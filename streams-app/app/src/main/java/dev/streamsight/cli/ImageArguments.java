package dev.streamsight.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands the IMAGE arguments of {@code classify} and {@code detect}: a directory becomes its
 * regular, non-hidden files in name order (not recursive); anything else (a file, a missing path, a
 * URI) is kept as given, so that a missing file gets its own error line.
 */
final class ImageArguments {
    private ImageArguments() {
    }

    static List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            Path p = arg.contains("://") ? null : Path.of(arg);
            if (p != null && Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .map(f -> arg.endsWith("/") ? arg + f.getFileName() : arg + "/" + f.getFileName())
                            .sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + arg, e);
                }
            } else {
                out.add(arg);
            }
        }
        return out;
    }
}

package dev.streamsight.tests.containers;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of a {@code .dockerignore}, matched as the builder matches them closely enough for
 * the container files test: in order, the last matching pattern wins, {@code !} re-includes, a
 * pattern that matches a directory excludes what is under it, and {@code **} spans directories
 * (also none, at the start).
 */
final class DockerIgnore {
    private record Rule(PathMatcher matcher, PathMatcher rootMatcher, boolean include, String pattern) {
    }

    private final List<Rule> rules = new ArrayList<>();

    DockerIgnore(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean include = p.startsWith("!");
            p = include ? p.substring(1).strip() : p;
            p = p.startsWith("/") ? p.substring(1) : p;
            PathMatcher root = p.startsWith("**/")
                    ? FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)) : null;
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + p), root, include, p));
        }
    }

    List<String> patterns() {
        return rules.stream().map(r -> (r.include() ? "!" : "") + r.pattern()).toList();
    }

    /** Whether {@code relative} (to the context root), or a directory above it, is left out of the context. */
    boolean excludes(Path relative) {
        for (Path p = relative.normalize(); p != null && !p.toString().isEmpty(); p = p.getParent()) {
            if (excludedItself(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean excludedItself(Path p) {
        boolean excluded = false;
        for (Rule r : rules) {
            if (r.matcher().matches(p) || (r.rootMatcher() != null && r.rootMatcher().matches(p))) {
                excluded = !r.include();
            }
        }
        return excluded;
    }
}

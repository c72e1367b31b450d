package dev.streamsight.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model resolved by {@link ModelLocator}: a file ready to load and what is known about it.
 *
 * @param file an {@code .onnx} file ready for ONNX Runtime (for an {@code .onnx.gz} model, the
 *     decompressed copy in the cache)
 * @param descriptor the descriptor that applies (catalog entry, sidecar or explicit file), or null
 *     when the model was given by path and nothing describes it: the engine then derives one from the
 *     ONNX metadata and input shape
 * @param sha256 hex SHA-256 of the file as found (of the {@code .gz} for a gzipped model)
 * @param searched the places looked at, in order, for diagnostics and lineage
 */
public record ModelSource(Path file, ModelDescriptor descriptor, String sha256, List<String> searched) {

    public ModelSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        searched = List.copyOf(searched);
    }

    /**
     * True when the descriptor carries a checksum and the file found matches it; false when it differs
     * or no checksum is known (a user-supplied export of the same architecture, for instance).
     */
    public boolean checksumMatches() {
        return descriptor != null && descriptor.sha256() != null
                && descriptor.sha256().equalsIgnoreCase(sha256);
    }
}

package dev.streamsight.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamsight.model.internal.DescriptorCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The models Streamsight knows by id: their file name, download address and checksum where known,
 * preprocessing, output decoding and labels. Immutable and thread-safe.
 *
 * <p>The built-in catalog is the resource {@code dev/streamsight/model/catalog.json}, loaded once
 * ({@link #builtIn()}). {@link #find} accepts the exact id, the id in any case, with {@code _} for
 * {@code -}, or the entry's file name with or without {@code .onnx}/{@code .onnx.gz}.
 */
public final class ModelCatalog {
    /** Origin of built-in catalog entries. */
    public static final String ORIGIN = "catalog";
    private static final String RESOURCE = "catalog.json";

    private final Map<String, ModelDescriptor> byId;

    private ModelCatalog(List<ModelDescriptor> entries) {
        Map<String, ModelDescriptor> map = new LinkedHashMap<>();
        for (ModelDescriptor d : entries) {
            if (map.putIfAbsent(d.id(), d) != null) {
                throw new ModelException("model catalog: duplicate id '" + d.id() + "'");
            }
        }
        this.byId = map;
    }

    /** A catalog of the given entries (ids must be unique). */
    public static ModelCatalog of(List<ModelDescriptor> entries) {
        return new ModelCatalog(List.copyOf(entries));
    }

    /** The catalog shipped in the jar. */
    public static ModelCatalog builtIn() {
        return BuiltIn.INSTANCE;
    }

    /** Reads a catalog file: {@code {"models": [descriptor, ...]}}. */
    public static ModelCatalog read(InputStream in, String source) {
        JsonNode root = DescriptorCodec.parse(in, source);
        JsonNode models = root.isObject() ? root.get("models") : null;
        if (models == null || !models.isArray() || root.size() != 1) {
            throw new ModelException(source + ": a catalog is {\"models\": [ ... ]}");
        }
        List<ModelDescriptor> list = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            list.add(DescriptorCodec.fromJson(models.get(i), source + " models[" + i + "]", null, null,
                    ORIGIN));
        }
        return new ModelCatalog(list);
    }

    /** Every entry, in catalog order. */
    public List<ModelDescriptor> all() {
        return List.copyOf(byId.values());
    }

    /** The entry for an id (see the class comment for the accepted spellings). */
    public Optional<ModelDescriptor> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        ModelDescriptor exact = byId.get(id);
        if (exact != null) {
            return Optional.of(exact);
        }
        String key = normalise(id);
        for (ModelDescriptor d : byId.values()) {
            if (normalise(d.id()).equals(key)) {
                return Optional.of(d);
            }
        }
        return findByFileName(id);
    }

    /** The entry whose {@code file} is {@code fileName}, or whose file stem equals it. */
    public Optional<ModelDescriptor> findByFileName(String fileName) {
        String key = normalise(stem(fileName));
        for (ModelDescriptor d : byId.values()) {
            if (d.file() != null && (d.file().equals(fileName) || normalise(stem(d.file())).equals(key))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The entry whose {@code sha256} is the given hex digest. */
    public Optional<ModelDescriptor> findBySha256(String sha256) {
        if (sha256 == null) {
            return Optional.empty();
        }
        for (ModelDescriptor d : byId.values()) {
            if (sha256.equalsIgnoreCase(d.sha256())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static String stem(String fileName) {
        String n = fileName;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        return n.replaceFirst("(?i)\\.onnx(\\.gz)?$", "");
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final class BuiltIn {
        static final ModelCatalog INSTANCE = load();

        private static ModelCatalog load() {
            try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource dev/streamsight/model/" + RESOURCE);
                }
                return read(in, "built-in catalog");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package dev.streamsight.topology;

import dev.streamsight.inference.LoadedModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded models a pipeline runs, by id, in configuration order. It does not own them: whoever
 * loaded the models closes them after the Kafka Streams instance has stopped. Immutable and
 * thread-safe (the models are thread-safe), shared by every stream thread.
 */
public final class ModelSet {
    private final Map<String, LoadedModel> byId;
    private final List<String> order;

    public ModelSet(List<LoadedModel> models) {
        Map<String, LoadedModel> map = new LinkedHashMap<>();
        for (LoadedModel m : models) {
            if (map.put(m.id(), m) != null) {
                throw new IllegalArgumentException("model " + m.id() + " given twice");
            }
        }
        this.byId = Map.copyOf(map);
        this.order = List.copyOf(map.keySet());
    }

    public List<String> ids() {
        return order;
    }

    public Optional<LoadedModel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public LoadedModel get(String id) {
        LoadedModel m = byId.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no model " + id + " in " + order);
        }
        return m;
    }
}

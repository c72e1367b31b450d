package dev.streamsight.connect.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamsight.connect.PluginVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces the array fields of a record value's top-level struct by their JSON text (an optional
 * string), so sinks that only take flat rows (JDBC) can store lists such as a classifier's top-k
 * labels or a detector's boxes: {@code [{"index":281,"label":"tabby","score":0.83},...]}. Structs
 * inside the arrays become JSON objects by field name; bytes become base64; logical dates become
 * ISO-8601 instants. Other fields, and records without a struct value, pass unchanged.
 *
 * <p>Configuration: {@code fields}, a list of field names (default: every array field).
 *
 * <p>Lifecycle and threading as every Connect transformation: configured once, then applied on the
 * task's thread; the converted schemas are cached per input schema.
 */
public class ArraysToJson<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String FIELDS = "fields";
    private static final ConfigDef CONFIG = new ConfigDef().define(FIELDS, ConfigDef.Type.LIST, "",
            ConfigDef.Importance.MEDIUM, "Array fields to write as JSON text; empty: every top-level array field.");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Set<String> fields = Set.of();
    private final Map<Schema, Schema> schemas = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Schema, Schema> eldest) {
            return size() > 64;
        }
    });

    @Override
    public void configure(Map<String, ?> configs) {
        List<String> names = new org.apache.kafka.common.config.AbstractConfig(CONFIG, configs).getList(FIELDS);
        fields = Set.copyOf(names.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    @Override
    public R apply(R record) {
        if (!(record.value() instanceof Struct value) || record.valueSchema() == null) {
            return record;
        }
        Schema schema = schemas.computeIfAbsent(record.valueSchema(), this::convertSchema);
        if (schema == record.valueSchema()) {
            return record;
        }
        Struct converted = new Struct(schema);
        for (Field field : schema.fields()) {
            Object fieldValue = value.get(field.name());
            converted.put(field, selected(record.valueSchema().field(field.name()))
                    ? (fieldValue == null ? null : json(record.valueSchema().field(field.name()).schema(), fieldValue).toString())
                    : fieldValue);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, converted, record.timestamp(), record.headers());
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
        schemas.clear();
    }

    /** The plugin version, reported by the worker's plugin listing. */
    public String version() {
        return PluginVersion.get();
    }

    private boolean selected(Field field) {
        return field.schema().type() == Schema.Type.ARRAY && (fields.isEmpty() || fields.contains(field.name()));
    }

    private Schema convertSchema(Schema schema) {
        if (schema.type() != Schema.Type.STRUCT || schema.fields().stream().noneMatch(this::selected)) {
            return schema;
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.isOptional()) {
            builder.optional();
        }
        for (Field field : schema.fields()) {
            builder.field(field.name(), selected(field)
                    ? SchemaBuilder.string().optional().doc(field.schema().doc()).build() : field.schema());
        }
        return builder.build();
    }

    static JsonNode json(Schema schema, Object value) {
        JsonNodeFactory nodes = JSON.getNodeFactory();
        if (value == null) {
            return nodes.nullNode();
        }
        return switch (value) {
            case Struct struct -> {
                ObjectNode object = nodes.objectNode();
                for (Field f : struct.schema().fields()) {
                    object.set(f.name(), json(f.schema(), struct.get(f)));
                }
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = nodes.arrayNode();
                list.forEach(item -> array.add(json(schema == null ? null : schema.valueSchema(), item)));
                yield array;
            }
            case Map<?, ?> map -> {
                ObjectNode object = nodes.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), json(schema == null ? null : schema.valueSchema(), v)));
                yield object;
            }
            case byte[] bytes -> nodes.textNode(Base64.getEncoder().encodeToString(bytes));
            case java.util.Date date -> nodes.textNode(Instant.ofEpochMilli(date.getTime()).toString());
            case BigDecimal decimal -> nodes.numberNode(decimal);
            case Float f -> nodes.numberNode(f);
            case Double d -> nodes.numberNode(d);
            case Long l -> nodes.numberNode(l);
            case Integer i -> nodes.numberNode(i);
            case Short s -> nodes.numberNode(s);
            case Byte b -> nodes.numberNode(b);
            case Boolean b -> nodes.booleanNode(b);
            case CharSequence s -> nodes.textNode(s.toString());
            default -> throw new DataException("ArraysToJson cannot write a " + value.getClass().getName() + " as JSON");
        };
    }
}

package dev.streamsight.connect.converter;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect schemas and values to Avro schemas and datums: the inverse of {@link AvroToConnect}, so a
 * record read from Avro is written back with an equivalent schema (same names, types, defaults and
 * field docs). Optional Connect fields become {@code ["null", T]} with default null, or
 * {@code [T, "null"]} when the field has a non-null default. One instance converts one schema
 * (it remembers the named types it has defined); {@link AvroConnectData} caches the results.
 */
final class ConnectToAvro {

    private final Map<String, Schema> named = new HashMap<>();
    private int unnamed;

    private ConnectToAvro() {
    }

    static Schema schema(org.apache.kafka.connect.data.Schema connect) {
        return new ConnectToAvro().convert(connect);
    }

    /** The Avro datum of {@code value}, for {@code avro} = {@code schema(connect)}. */
    static Object value(org.apache.kafka.connect.data.Schema connect, Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == Schema.Type.UNION) {
            return unionValue(connect, avro, value);
        }
        return switch (avro.getType()) {
            case RECORD -> {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(avro);
                for (Field field : connect.fields()) {
                    record.put(field.name(), value(field.schema(), avro.getField(field.name()).schema(), struct.get(field)));
                }
                yield record;
            }
            case ARRAY -> connect.type() == org.apache.kafka.connect.data.Schema.Type.MAP
                    ? entries(connect, avro.getElementType(), (Map<?, ?>) value)
                    : list(connect.valueSchema(), avro.getElementType(), (List<?>) value);
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    map.put((String) e.getKey(), value(connect.valueSchema(), avro.getValueType(), e.getValue()));
                }
                yield map;
            }
            case ENUM -> new GenericData.EnumSymbol(avro, value.toString());
            case STRING -> value.toString();
            case BYTES -> ByteBuffer.wrap(value instanceof BigDecimal decimal
                    ? Decimal.fromLogical(connect, decimal) : bytes(value));
            case FIXED -> new GenericData.Fixed(avro, bytes(value));
            case INT -> switch (value) {
                case java.util.Date date when Date.LOGICAL_NAME.equals(connect.name()) -> Date.fromLogical(connect, date);
                case java.util.Date date -> Time.fromLogical(connect, date);
                case Number n -> n.intValue();
                default -> throw new DataException("Expected a number for " + connect + ", got " + value.getClass().getName());
            };
            case LONG -> value instanceof java.util.Date date ? Timestamp.fromLogical(connect, date) : value;
            default -> value;
        };
    }

    // --- schemas ---

    private Schema convert(org.apache.kafka.connect.data.Schema connect) {
        String name = connect.name();
        Map<String, String> params = connect.parameters() == null ? Map.of() : connect.parameters();
        return switch (connect.type()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT8, INT16 -> {
                Schema s = Schema.create(Schema.Type.INT);
                s.addProp(AvroConnectNames.CONNECT_TYPE, connect.type().getName());
                yield s;
            }
            case INT32 -> Date.LOGICAL_NAME.equals(name) ? LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT))
                    : Time.LOGICAL_NAME.equals(name) ? LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT))
                    : Schema.create(Schema.Type.INT);
            case INT64 -> Timestamp.LOGICAL_NAME.equals(name)
                    ? LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))
                    : Schema.create(Schema.Type.LONG);
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case STRING -> params.containsKey(AvroConnectNames.ENUM) ? enumSchema(connect, params) : Schema.create(Schema.Type.STRING);
            case BYTES -> bytesSchema(connect, params);
            case ARRAY -> Schema.createArray(nullableIfOptional(connect.valueSchema()));
            case MAP -> connect.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING
                    && !connect.keySchema().isOptional()
                    ? Schema.createMap(nullableIfOptional(connect.valueSchema()))
                    : Schema.createArray(mapEntry(connect));
            case STRUCT -> AvroConnectNames.UNION.equals(name) ? union(connect) : record(connect);
        };
    }

    private Schema record(org.apache.kafka.connect.data.Schema connect) {
        String fullName = connect.name() != null ? connect.name()
                : AvroConnectNames.DEFAULT_RECORD + (unnamed++ == 0 ? "" : Integer.toString(unnamed));
        Schema existing = named.get(fullName);
        if (existing != null) {
            return existing;
        }
        int dot = fullName.lastIndexOf('.');
        Schema record = Schema.createRecord(fullName.substring(dot + 1), connect.doc(),
                dot < 0 ? null : fullName.substring(0, dot), false);
        named.put(fullName, record);
        List<Schema.Field> fields = new ArrayList<>();
        for (Field field : connect.fields()) {
            fields.add(field(field));
        }
        record.setFields(fields);
        return record;
    }

    private Schema.Field field(Field field) {
        org.apache.kafka.connect.data.Schema fs = field.schema();
        Schema avro = convert(fs);
        String doc = avro.getType() == Schema.Type.RECORD || avro.getType() == Schema.Type.ENUM
                || avro.getType() == Schema.Type.FIXED ? null : fs.doc();
        Object defaultValue = fs.defaultValue() == null ? null : jsonDefault(fs, fs.defaultValue());
        if (fs.isOptional()) {
            List<Schema> branches = new ArrayList<>();
            if (defaultValue == null) {
                branches.add(Schema.create(Schema.Type.NULL));
                branches.addAll(members(avro));
                return new Schema.Field(field.name(), Schema.createUnion(branches), doc, JsonProperties.NULL_VALUE);
            }
            branches.addAll(members(avro));
            branches.add(Schema.create(Schema.Type.NULL));
            return new Schema.Field(field.name(), Schema.createUnion(branches), doc, defaultValue);
        }
        return new Schema.Field(field.name(), avro, doc, defaultValue);
    }

    private Schema union(org.apache.kafka.connect.data.Schema connect) {
        List<Schema> branches = new ArrayList<>();
        for (Field field : connect.fields()) {
            branches.add(convert(field.schema()));
        }
        return Schema.createUnion(branches);
    }

    private Schema enumSchema(org.apache.kafka.connect.data.Schema connect, Map<String, String> params) {
        String fullName = params.get(AvroConnectNames.ENUM);
        Schema existing = named.get(fullName);
        if (existing != null) {
            return existing;
        }
        String prefix = AvroConnectNames.ENUM + ".";
        List<String> symbols = params.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
        int dot = fullName.lastIndexOf('.');
        Schema schema = Schema.createEnum(fullName.substring(dot + 1), connect.doc(),
                dot < 0 ? null : fullName.substring(0, dot), symbols);
        named.put(fullName, schema);
        return schema;
    }

    private Schema bytesSchema(org.apache.kafka.connect.data.Schema connect, Map<String, String> params) {
        if (Decimal.LOGICAL_NAME.equals(connect.name())) {
            int scale = Integer.parseInt(params.getOrDefault(Decimal.SCALE_FIELD, "0"));
            int precision = Integer.parseInt(params.getOrDefault(AvroConnectNames.DECIMAL_PRECISION,
                    Integer.toString(AvroConnectNames.DEFAULT_DECIMAL_PRECISION)));
            return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
        }
        if (params.containsKey(AvroConnectNames.FIXED_SIZE)) {
            String fullName = connect.name() != null ? connect.name() : AvroConnectNames.DEFAULT_RECORD + "Fixed";
            Schema existing = named.get(fullName);
            if (existing != null) {
                return existing;
            }
            int dot = fullName.lastIndexOf('.');
            Schema fixed = Schema.createFixed(fullName.substring(dot + 1), connect.doc(),
                    dot < 0 ? null : fullName.substring(0, dot), Integer.parseInt(params.get(AvroConnectNames.FIXED_SIZE)));
            named.put(fullName, fixed);
            return fixed;
        }
        return Schema.create(Schema.Type.BYTES);
    }

    private Schema mapEntry(org.apache.kafka.connect.data.Schema connect) {
        String name = AvroConnectNames.MAP_ENTRY;
        for (int i = 2; named.containsKey(name); i++) {
            name = AvroConnectNames.MAP_ENTRY + i;
        }
        int dot = name.lastIndexOf('.');
        Schema entry = Schema.createRecord(name.substring(dot + 1), null, name.substring(0, dot), false);
        named.put(name, entry);
        entry.setFields(List.of(
                new Schema.Field("key", nullableIfOptional(connect.keySchema())),
                new Schema.Field("value", nullableIfOptional(connect.valueSchema()))));
        return entry;
    }

    private Schema nullableIfOptional(org.apache.kafka.connect.data.Schema connect) {
        Schema avro = convert(connect);
        if (!connect.isOptional()) {
            return avro;
        }
        List<Schema> branches = new ArrayList<>();
        branches.add(Schema.create(Schema.Type.NULL));
        branches.addAll(members(avro));
        return Schema.createUnion(branches);
    }

    private static List<Schema> members(Schema avro) {
        return avro.getType() == Schema.Type.UNION ? avro.getTypes() : List.of(avro);
    }

    /** A Connect default as the Java object Avro's field constructor turns into JSON. */
    private static Object jsonDefault(org.apache.kafka.connect.data.Schema schema, Object value) {
        return switch (value) {
            case null -> JsonProperties.NULL_VALUE;
            case Struct struct -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Field f : schema.fields()) {
                    map.put(f.name(), jsonDefault(f.schema(), struct.get(f)));
                }
                yield map;
            }
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), jsonDefault(schema.valueSchema(), v)));
                yield out;
            }
            case List<?> list -> list.stream().map(v -> jsonDefault(schema.valueSchema(), v)).toList();
            case java.util.Date date -> value(schema, convertStatic(schema), date);
            case BigDecimal decimal -> Decimal.fromLogical(schema, decimal);
            case ByteBuffer buffer -> bytes(buffer);
            case Byte b -> b.intValue();
            case Short s -> s.intValue();
            default -> value;
        };
    }

    private static Schema convertStatic(org.apache.kafka.connect.data.Schema schema) {
        return new ConnectToAvro().convert(schema);
    }

    // --- values ---

    private static Object unionValue(org.apache.kafka.connect.data.Schema connect, Schema avro, Object value) {
        if (AvroConnectNames.UNION.equals(connect.name())) {
            Struct struct = (Struct) value;
            for (Field field : connect.fields()) {
                Object member = struct.get(field);
                if (member != null) {
                    return value(field.schema(), branch(avro, field.name()), member);
                }
            }
            return null;
        }
        for (Schema branch : avro.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return value(connect, branch, value);
            }
        }
        throw new DataException("Avro union " + avro + " has no branch for a " + connect.type() + " value");
    }

    private static Schema branch(Schema union, String member) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL && AvroToConnect.memberName(branch).equals(member)) {
                return branch;
            }
        }
        throw new DataException("Avro union " + union + " has no branch named " + member);
    }

    private static List<Object> list(org.apache.kafka.connect.data.Schema connect, Schema element, List<?> value) {
        List<Object> list = new ArrayList<>(value.size());
        for (Object item : value) {
            list.add(value(connect, element, item));
        }
        return new GenericData.Array<>(Schema.createArray(element), list);
    }

    private static List<Object> entries(org.apache.kafka.connect.data.Schema connect, Schema element, Map<?, ?> value) {
        Schema.Field key = element.getField("key");
        Schema.Field val = element.getField("value");
        List<Object> list = new ArrayList<>(value.size());
        for (Map.Entry<?, ?> e : value.entrySet()) {
            GenericData.Record entry = new GenericData.Record(element);
            entry.put(key.pos(), value(connect.keySchema(), key.schema(), e.getKey()));
            entry.put(val.pos(), value(connect.valueSchema(), val.schema(), e.getValue()));
            list.add(entry);
        }
        return list;
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }
}

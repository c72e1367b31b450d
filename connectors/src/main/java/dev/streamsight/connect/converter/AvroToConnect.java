package dev.streamsight.connect.converter;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.data.TimeConversions;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Avro schemas and datums to Connect schemas and values. Stateless; {@link AvroConnectData} caches.
 *
 * <p>Records become structs named by the record's full name; {@code [null, T]} unions become optional
 * {@code T}; other unions become a {@link AvroConnectNames#UNION} struct with one optional field per
 * branch; enums become strings with Confluent's enum parameters; maps become string-keyed maps, and
 * arrays of {@link AvroConnectNames#MAP_ENTRY} records become maps again; bytes and fixed become bytes;
 * the date, time-millis, timestamp-millis and decimal logical types become Connect's logical types.
 */
final class AvroToConnect {

    /** Resolves union branches of generic datums and of the Java types generated classes use for logical types. */
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private AvroToConnect() {
    }

    static org.apache.kafka.connect.data.Schema schema(Schema avro) {
        return builder(avro, new HashSet<>()).build();
    }

    /** The Connect value of {@code datum}, written with {@code avro}, for {@code connect} = {@code schema(avro)}. */
    static Object value(Schema avro, org.apache.kafka.connect.data.Schema connect, Object datum) {
        if (datum == null) {
            return null;
        }
        return switch (avro.getType()) {
            case UNION -> union(avro, connect, datum);
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) datum;
                Struct struct = new Struct(connect);
                for (Schema.Field field : avro.getFields()) {
                    struct.put(field.name(), value(field.schema(), connect.field(field.name()).schema(), record.get(field.pos())));
                }
                yield struct;
            }
            case ARRAY -> connect.type() == org.apache.kafka.connect.data.Schema.Type.MAP
                    ? entries(avro.getElementType(), connect, (List<?>) datum)
                    : list(avro.getElementType(), connect.valueSchema(), (List<?>) datum);
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    map.put(e.getKey().toString(), value(avro.getValueType(), connect.valueSchema(), e.getValue()));
                }
                yield map;
            }
            case STRING, ENUM -> datum.toString();
            case BYTES -> bytes(avro, connect, datum);
            case FIXED -> ((GenericFixed) datum).bytes().clone();
            case INT -> switch (datum) {
                case LocalDate date -> new java.util.Date(date.toEpochDay() * 86_400_000L);
                case LocalTime time -> new java.util.Date(time.toNanoOfDay() / 1_000_000L);
                case Integer i when Date.LOGICAL_NAME.equals(connect.name()) -> Date.toLogical(connect, i);
                case Integer i when Time.LOGICAL_NAME.equals(connect.name()) -> Time.toLogical(connect, i);
                case Integer i when connect.type() == org.apache.kafka.connect.data.Schema.Type.INT8 -> i.byteValue();
                case Integer i when connect.type() == org.apache.kafka.connect.data.Schema.Type.INT16 -> i.shortValue();
                default -> datum;
            };
            case LONG -> switch (datum) {
                case Instant instant -> java.util.Date.from(instant);
                case Long l when Timestamp.LOGICAL_NAME.equals(connect.name()) -> Timestamp.toLogical(connect, l);
                default -> datum;
            };
            case NULL -> null;
            default -> datum;
        };
    }

    // --- schemas ---

    private static SchemaBuilder builder(Schema avro, Set<String> inProgress) {
        return switch (avro.getType()) {
            case BOOLEAN -> SchemaBuilder.bool();
            case INT -> intBuilder(avro);
            case LONG -> avro.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case STRING -> SchemaBuilder.string();
            case BYTES -> avro.getLogicalType() instanceof LogicalTypes.Decimal decimal
                    ? Decimal.builder(decimal.getScale())
                            .parameter(AvroConnectNames.DECIMAL_PRECISION, Integer.toString(decimal.getPrecision()))
                    : SchemaBuilder.bytes();
            case FIXED -> SchemaBuilder.bytes().name(avro.getFullName())
                    .parameter(AvroConnectNames.FIXED_SIZE, Integer.toString(avro.getFixedSize()));
            case ENUM -> {
                SchemaBuilder b = SchemaBuilder.string().name(avro.getFullName())
                        .parameter(AvroConnectNames.ENUM, avro.getFullName());
                avro.getEnumSymbols().forEach(s -> b.parameter(AvroConnectNames.ENUM + "." + s, s));
                yield doc(b, avro.getDoc());
            }
            case ARRAY -> mapEntry(avro.getElementType())
                    ? SchemaBuilder.map(
                            optionalIfUnion(avro.getElementType().getField("key").schema(), inProgress),
                            optionalIfUnion(avro.getElementType().getField("value").schema(), inProgress))
                    : SchemaBuilder.array(optionalIfUnion(avro.getElementType(), inProgress));
            case MAP -> SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                    optionalIfUnion(avro.getValueType(), inProgress));
            case RECORD -> record(avro, inProgress);
            case UNION -> unionStruct(avro, inProgress);
            case NULL -> throw new DataException("An Avro null is only supported inside a union");
        };
    }

    private static SchemaBuilder intBuilder(Schema avro) {
        LogicalType logical = avro.getLogicalType();
        if (logical instanceof LogicalTypes.Date) {
            return Date.builder();
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
            return Time.builder();
        }
        return switch (String.valueOf(avro.getProp(AvroConnectNames.CONNECT_TYPE))) {
            case "int8" -> SchemaBuilder.int8();
            case "int16" -> SchemaBuilder.int16();
            default -> SchemaBuilder.int32();
        };
    }

    private static SchemaBuilder record(Schema avro, Set<String> inProgress) {
        if (!inProgress.add(avro.getFullName())) {
            throw new DataException("Recursive Avro record " + avro.getFullName() + " has no Connect equivalent");
        }
        SchemaBuilder struct = doc(SchemaBuilder.struct().name(avro.getFullName()), avro.getDoc());
        for (Schema.Field field : avro.getFields()) {
            struct.field(field.name(), field(field, inProgress));
        }
        inProgress.remove(avro.getFullName());
        return struct;
    }

    /** A field's schema: optional for nullable unions, with the field's doc and (simple) default. */
    private static org.apache.kafka.connect.data.Schema field(Schema.Field field, Set<String> inProgress) {
        Schema avro = field.schema();
        Schema single = nullableBranch(avro);
        SchemaBuilder b = builder(single != null ? single : avro, inProgress);
        if (single != null || nullable(avro)) {
            b.optional();
        }
        if (!isNamed(single != null ? single : avro)) {
            doc(b, field.doc());
        }
        if (field.hasDefaultValue() && b.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
            Object datum = GenericData.get().getDefaultValue(field);
            if (datum != null) {
                try {
                    b.defaultValue(value(single != null ? single : avro, b, datum));
                } catch (DataException e) {
                    // A default Connect cannot hold (say a struct inside a union) is left out, as Confluent does.
                }
            }
        }
        return b.build();
    }

    private static SchemaBuilder unionStruct(Schema avro, Set<String> inProgress) {
        SchemaBuilder struct = SchemaBuilder.struct().name(AvroConnectNames.UNION);
        for (Schema branch : avro.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                struct.field(memberName(branch), builder(branch, inProgress).optional().build());
            }
        }
        if (nullable(avro)) {
            struct.optional();
        }
        return struct;
    }

    private static org.apache.kafka.connect.data.Schema optionalIfUnion(Schema avro, Set<String> inProgress) {
        Schema single = nullableBranch(avro);
        if (single != null) {
            return builder(single, inProgress).optional().build();
        }
        return builder(avro, inProgress).build();
    }

    // --- values ---

    private static Object union(Schema avro, org.apache.kafka.connect.data.Schema connect, Object datum) {
        Schema branch = avro.getTypes().get(MODEL.resolveUnion(avro, datum));
        if (branch.getType() == Schema.Type.NULL) {
            return null;
        }
        if (!AvroConnectNames.UNION.equals(connect.name())) {
            return value(branch, connect, datum);
        }
        Struct struct = new Struct(connect);
        String member = memberName(branch);
        struct.put(member, value(branch, connect.field(member).schema(), datum));
        return struct;
    }

    private static List<Object> list(Schema element, org.apache.kafka.connect.data.Schema connect, List<?> datum) {
        List<Object> list = new ArrayList<>(datum.size());
        for (Object item : datum) {
            list.add(value(element, connect, item));
        }
        return list;
    }

    private static Map<Object, Object> entries(Schema entry, org.apache.kafka.connect.data.Schema connect, List<?> datum) {
        Map<Object, Object> map = new LinkedHashMap<>();
        Schema.Field key = entry.getField("key");
        Schema.Field value = entry.getField("value");
        for (Object item : datum) {
            IndexedRecord record = (IndexedRecord) item;
            map.put(value(key.schema(), connect.keySchema(), record.get(key.pos())),
                    value(value.schema(), connect.valueSchema(), record.get(value.pos())));
        }
        return map;
    }

    private static Object bytes(Schema avro, org.apache.kafka.connect.data.Schema connect, Object datum) {
        if (datum instanceof BigDecimal decimal) {
            return decimal;
        }
        byte[] bytes;
        if (datum instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            bytes = ((byte[]) datum).clone();
        }
        return Decimal.LOGICAL_NAME.equals(connect.name()) ? Decimal.toLogical(connect, bytes) : bytes;
    }

    // --- helpers ---

    /** Field name of a union branch in the union struct: simple name for named types, type name otherwise. */
    static String memberName(Schema branch) {
        return isNamed(branch) ? branch.getName() : branch.getType().getName();
    }

    /** T for a union of exactly null and T; null otherwise. */
    private static Schema nullableBranch(Schema avro) {
        if (avro.getType() != Schema.Type.UNION || avro.getTypes().size() != 2 || !nullable(avro)) {
            return null;
        }
        Schema first = avro.getTypes().get(0);
        return first.getType() == Schema.Type.NULL ? avro.getTypes().get(1) : first;
    }

    private static boolean nullable(Schema avro) {
        return avro.getType() == Schema.Type.UNION
                && avro.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static boolean isNamed(Schema avro) {
        return switch (avro.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static boolean mapEntry(Schema element) {
        return element.getType() == Schema.Type.RECORD && element.getFullName().startsWith(AvroConnectNames.MAP_ENTRY)
                && element.getFields().size() == 2 && element.getField("key") != null && element.getField("value") != null;
    }

    private static SchemaBuilder doc(SchemaBuilder b, String doc) {
        return doc == null ? b : b.doc(doc);
    }
}

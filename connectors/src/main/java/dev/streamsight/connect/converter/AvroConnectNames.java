package dev.streamsight.connect.converter;

/**
 * Names and schema parameters by which Connect schemas carry what Connect cannot express directly.
 * They are Confluent's ({@code io.confluent.connect.avro.AvroData}), so records converted by either
 * converter look the same to sinks and transforms.
 */
final class AvroConnectNames {

    /** Name of the Connect struct that stands for an Avro union other than {@code [null, T]}. */
    static final String UNION = "io.confluent.connect.avro.Union";
    /** Parameter marking a Connect string as an Avro enum; its value is the enum's full name. */
    static final String ENUM = "io.confluent.connect.avro.Enum";
    /** Record name of the entries of a Connect map whose keys are not strings (an Avro array of them). */
    static final String MAP_ENTRY = "io.confluent.connect.avro.MapEntry";
    /** Namespace and base name of Avro records made for unnamed Connect structs. */
    static final String DEFAULT_RECORD = "io.confluent.connect.avro.ConnectDefault";
    /** Precision of a Connect decimal, kept for the Avro {@code decimal} logical type. */
    static final String DECIMAL_PRECISION = "connect.decimal.precision";
    /** Size of an Avro {@code fixed}, carried by the Connect bytes schema that stands for it. */
    static final String FIXED_SIZE = "connect.fixed.size";
    /** Avro property keeping Connect's int8/int16 (Avro has only int). */
    static final String CONNECT_TYPE = "connect.type";
    /** Precision written when a Connect decimal does not say (Confluent's default). */
    static final int DEFAULT_DECIMAL_PRECISION = 64;

    private AvroConnectNames() {
    }
}

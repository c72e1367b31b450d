package dev.streamsight.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent Schema Registry wire format: one magic byte {@code 0x00}, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the value (no Avro container, no fingerprint).
 *
 * <pre>
 *   0      1  2  3  4      5 ...
 *   [0x00] [schema id   ] [Avro binary body]
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class WireFormat {

    /** The only magic byte defined by the format. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Bytes before the Avro body: magic byte plus schema id. */
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /** The 5-byte header for {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** Frames an already encoded Avro body: header followed by {@code avroBody}. */
    public static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_SIZE + avroBody.length).put(MAGIC_BYTE).putInt(schemaId).put(avroBody).array();
    }

    /**
     * Reads the schema id from a framed payload.
     *
     * @throws InvalidPayloadException (NOT_WIRE_FORMAT) if the payload is shorter than the header or does not start with
     *     the magic byte (it was not written by a Schema Registry serializer)
     */
    public static int schemaId(byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new InvalidPayloadException(InvalidPayloadException.Problem.NOT_WIRE_FORMAT, "Payload too short for the Confluent wire format: " + payload.length
                    + " byte(s), need at least " + HEADER_SIZE + " (magic byte and 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new InvalidPayloadException(InvalidPayloadException.Problem.NOT_WIRE_FORMAT, String.format(
                    "Unknown magic byte 0x%02x: not in the Confluent wire format (expected 0x00)", payload[0] & 0xff));
        }
        return ByteBuffer.wrap(payload, 1, Integer.BYTES).getInt();
    }
}

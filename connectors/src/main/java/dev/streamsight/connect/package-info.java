/**
 * Kafka Connect plugin of Streamsight: {@link dev.streamsight.connect.source.ImageDirectorySourceConnector}
 * turns image files into {@code ImageEvent} records, {@link dev.streamsight.connect.converter.AvroConverter}
 * reads and writes Avro in the Confluent wire format through the Streamsight registry client, and
 * {@link dev.streamsight.connect.transforms.ArraysToJson} lets flat sinks (JDBC) store result arrays.
 *
 * <p>Everything here runs inside a Connect worker, which provides {@code connect-api} and
 * {@code kafka-clients}; the plugin zip carries the rest.
 */
package dev.streamsight.connect;

package dev.streamsight.topology;

import dev.streamsight.fetch.UriText;

import org.slf4j.spi.LoggingEventBuilder;

/**
 * The structured fields of a per-record log line: {@code event_id}, {@code topic}, {@code partition},
 * {@code offset} (of the input record), as SLF4J key-values, so that the text log shows them after the
 * message and the JSON log as fields.
 */
final class RecordLog {
    private RecordLog() {
    }

    /** Adds the fields; a null event id (a record that is no event) is left out. */
    static LoggingEventBuilder fields(LoggingEventBuilder log, String eventId, String topic, int partition,
            long offset) {
        if (eventId != null && !eventId.isBlank()) {
            log = log.addKeyValue("event_id", UriText.escaped(eventId)); // the event's own text: no forged lines
        }
        return log.addKeyValue("topic", topic).addKeyValue("partition", partition).addKeyValue("offset", offset);
    }
}

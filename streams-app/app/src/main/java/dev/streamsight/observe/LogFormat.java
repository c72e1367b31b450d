package dev.streamsight.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The format of the log on stderr ({@code log.format}): {@code text}, one line
 * {@code [LEVEL] Logger - message key=value...} per event ({@code logback.xml}, the default), or
 * {@code json}, one JSON object per line for log shippers ({@code logback-json.xml}, Logback's
 * {@code JsonEncoder}: {@code level}, {@code loggerName}, {@code formattedMessage}, the structured
 * fields under {@code kvpList}, {@code throwable}). Both share the levels of {@code logback-levels.xml}.
 *
 * <p>The only class that knows the logging backend is Logback. {@link #apply()} reconfigures it; a
 * command calls it once its configuration is known and before it logs anything.
 */
public enum LogFormat {
    TEXT("/logback.xml"),
    JSON("/logback-json.xml");

    private final String resource;

    LogFormat(String resource) {
        this.resource = resource;
    }

    /** {@code text} or {@code json}, any case. */
    public static LogFormat parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("must be text or json, got '" + value + "'");
        };
    }

    /** Reconfigures Logback with this format (nothing when Logback is not the slf4j binding). */
    public void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // logback.xml is what Logback reads by itself
        }
        URL config = LogFormat.class.getResource(resource);
        if (config == null) {
            throw new IllegalStateException(resource + " is missing from the class path");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Logs only errors of {@code logger} from now on (Logback; nothing otherwise). */
    public static void errorsOnly(String logger) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.getLogger(logger).setLevel(Level.ERROR);
        }
    }
}

package dev.streamsight.connect;

/** The plugin's version, as every connector, converter and transform reports it to the worker. */
public final class PluginVersion {

    private static final String VERSION = lookup();

    private PluginVersion() {
    }

    /** The version from the jar manifest, or {@code unknown} when run from classes (tests in an IDE). */
    public static String get() {
        return VERSION;
    }

    private static String lookup() {
        String version = PluginVersion.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}

package dev.streamsight.fetch;

/**
 * How an image reference appears in error messages and dead letters: without the credentials a
 * URL may carry (user-info before {@code @}; query strings, where signed URLs keep their tokens),
 * without control characters, and cut to {@value #MAX_CHARS} characters, since events are written
 * by other teams and messages are stored and logged. Stateless.
 */
public final class UriText {
    /** Longest reference quoted in a message. */
    public static final int MAX_CHARS = 256;

    private UriText() {
    }

    /** The reference as it may be quoted in a message. */
    public static String forMessage(String reference) {
        if (reference == null) {
            return "(no reference)";
        }
        String s = reference;
        int scheme = s.indexOf("://");
        if (scheme > 0) {
            int authorityStart = scheme + 3;
            int authorityEnd = indexOfAny(s, authorityStart, "/?#");
            int at = s.lastIndexOf('@', authorityEnd - 1);
            if (at >= authorityStart) {
                s = s.substring(0, authorityStart) + "***@" + s.substring(at + 1);
            }
        }
        int query = s.indexOf('?');
        if (query >= 0) {
            int fragment = s.indexOf('#', query);
            s = s.substring(0, query) + "?***" + (fragment >= 0 ? s.substring(fragment) : "");
        }
        return escaped(s, reference.length());
    }

    /**
     * Any other text an event carries (an id, a model name), as it may be quoted in a message or a log
     * line: control characters escaped (no forged log lines), cut to {@value #MAX_CHARS} characters.
     */
    public static String escaped(String text) {
        return text == null ? "(none)" : escaped(text, text.length());
    }

    private static String escaped(String s, int originalLength) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS + 32));
        for (int i = 0; i < s.length() && out.length() < MAX_CHARS; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_CHARS && s.length() > MAX_CHARS) {
            out.setLength(MAX_CHARS);
            out.append("... (").append(originalLength).append(" characters)");
        }
        return out.toString();
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}

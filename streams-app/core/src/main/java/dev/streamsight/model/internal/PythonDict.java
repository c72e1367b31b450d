package dev.streamsight.model.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses the Python dict literal Ultralytics writes into ONNX metadata for {@code names}:
 * {@code {0: 'person', 1: "stop sign", ...}}. Keys are integers; values are single- or double-quoted
 * strings with Python escapes ({@code \\ \' \" \n \t \r \xNN \\uNNNN}). Stateless.
 */
public final class PythonDict {
    private final String s;
    private int i;

    private PythonDict(String s) {
        this.s = s;
    }

    /**
     * The values ordered by key, which must be 0..n-1.
     *
     * @throws IllegalArgumentException with the position of the problem
     */
    public static List<String> parseIndexedNames(String text) {
        Map<Integer, String> map = new PythonDict(text).dict();
        List<String> out = new ArrayList<>(map.size());
        int expected = 0;
        for (Map.Entry<Integer, String> e : map.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalArgumentException("class indices are not contiguous: missing " + expected);
            }
            out.add(e.getValue());
            expected++;
        }
        return out;
    }

    private Map<Integer, String> dict() {
        Map<Integer, String> map = new TreeMap<>();
        skipWs();
        expect('{');
        skipWs();
        if (peek() == '}') {
            i++;
            return end(map);
        }
        while (true) {
            skipWs();
            int key = integer();
            skipWs();
            expect(':');
            skipWs();
            String value = string();
            if (map.put(key, value) != null) {
                throw error("duplicate key " + key);
            }
            skipWs();
            char c = next();
            if (c == '}') {
                return end(map);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
            skipWs();
            if (peek() == '}') {
                i++;
                return end(map);
            }
        }
    }

    private Map<Integer, String> end(Map<Integer, String> map) {
        skipWs();
        if (i != s.length()) {
            throw error("unexpected text after '}'");
        }
        return map;
    }

    private int integer() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (start == i) {
            throw error("expected an integer key");
        }
        try {
            return Integer.parseInt(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw error("bad integer key");
        }
    }

    private String string() {
        char quote = next();
        if (quote != '\'' && quote != '"') {
            throw error("expected a quoted string");
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == quote) {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                case '\\', '\'', '"' -> sb.append(e);
                default -> sb.append('\\').append(e);
            }
        }
    }

    private int hex(int digits) {
        if (i + digits > s.length()) {
            throw error("truncated escape");
        }
        try {
            int v = Integer.parseInt(s.substring(i, i + digits), 16);
            i += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("bad escape");
        }
    }

    private void skipWs() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            i--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(why + " at offset " + i);
    }
}

package dev.streamsight.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of the report: a title (may be null), column headers, which columns hold numbers (aligned
 * right), and rows of cells already formatted. Both the text and the HTML report render these, so they
 * show the same figures. Cells are made {@linkplain #printable printable}. Not thread-safe: built, then
 * rendered.
 */
final class Table {
    private final String title;
    private final List<String> headers;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param headers column headers; a header starting with {@code >} is a numeric column (the mark is dropped) */
    Table(String title, String... headers) {
        this.title = title;
        this.numeric = new boolean[headers.length];
        this.headers = new ArrayList<>();
        for (int i = 0; i < headers.length; i++) {
            numeric[i] = headers[i].startsWith(">");
            this.headers.add(numeric[i] ? headers[i].substring(1) : headers[i]);
        }
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells, table of " + headers.size());
        }
        rows.add(Arrays.stream(cells).map(c -> printable(String.valueOf(c))).toList());
        return this;
    }

    String title() {
        return title;
    }

    List<String> headers() {
        return headers;
    }

    boolean numeric(int column) {
        return numeric[column];
    }

    List<List<String>> rows() {
        return rows;
    }

    /**
     * {@code s} with control characters (and unpaired surrogates) as {@code ?}: labels and model names
     * come from the data, and would otherwise drive a terminal (escape sequences) or break the page.
     */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return out.toString();
    }
}

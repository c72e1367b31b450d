package dev.streamsight.compare;

import java.util.ArrayList;
import java.util.List;

/** Renders a report as plain text: the headline, then each table with aligned columns. Stateless. */
final class TextReport {
    private static final String GAP = "  ";

    private TextReport() {
    }

    static String render(ComparisonReport report) {
        ReportTables tables = ReportTables.of(report);
        StringBuilder out = new StringBuilder(tables.headline()).append("\n\n");
        table(out, tables.inputs());
        table(out, tables.figures());
        if (tables.details() != null) {
            table(out, tables.details());
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static void table(StringBuilder out, Table table) {
        if (table.title() != null) {
            out.append(table.title()).append('\n');
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(table.headers());
        lines.addAll(table.rows());
        int[] width = new int[table.headers().size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        if (lines.size() > 1) {
            for (List<String> line : lines) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < line.size(); i++) {
                    String pad = " ".repeat(width[i] - line.get(i).length());
                    text.append(i == 0 ? "" : GAP).append(table.numeric(i) ? pad + line.get(i) : line.get(i) + pad);
                }
                out.append(text.toString().stripTrailing()).append('\n');
            }
        }
        out.append('\n');
    }
}

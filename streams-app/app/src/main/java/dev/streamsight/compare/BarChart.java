package dev.streamsight.compare;

import java.util.List;
import java.util.Locale;

/**
 * An inline SVG chart of horizontal bars, one group per row and one bar per series (old and new
 * counts, or a single count), for the HTML report. Text is escaped. Stateless.
 */
final class BarChart {
    /** One row: its label and a value per series. */
    record Row(String label, List<Integer> values) {
    }

    private static final String[] COLOURS = {"#8c9bab", "#2f6fdf"};
    private static final int BAR_AREA = 480;
    private static final int BAR = 12;
    private static final int LEGEND = 26;
    private static final int MAX_LABEL_CHARS = 48;

    private BarChart() {
    }

    /** @param series names of the value series; with one, no legend is drawn */
    static String svg(String description, List<String> series, List<Row> rows) {
        int max = Math.max(1, rows.stream().flatMap(r -> r.values().stream()).mapToInt(Integer::intValue).max()
                .orElse(1));
        int longest = rows.stream().mapToInt(r -> shortened(r.label()).length()).max().orElse(0);
        int labelWidth = Math.min(360, 16 + 7 * longest);
        int group = BAR * series.size() + 10;
        int top = series.size() > 1 ? LEGEND : 4;
        int width = labelWidth + BAR_AREA + 60;
        int height = top + group * rows.size() + 4;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " role=\"img\" aria-label=\"%s\">%n", width, height, width, height, Html.escape(description)));
        if (series.size() > 1) {
            for (int s = 0; s < series.size(); s++) {
                int x = labelWidth + s * 120;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"16\">%s</text>%n", x, COLOURS[s], x + 18, Html.escape(series.get(s))));
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = top + r * group;
            svg.append(String.format(Locale.ROOT, "<g><title>%s</title>%n"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", Html.escape(row.label()),
                    labelWidth - 8, y + group / 2 + 1, Html.escape(shortened(row.label()))));
            for (int s = 0; s < row.values().size(); s++) {
                int value = row.values().get(s);
                int barWidth = (int) Math.round((double) value * BAR_AREA / max);
                int barY = y + 5 + s * BAR;
                String colour = COLOURS[series.size() > 1 ? s : 1];
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                        + "<text class=\"value\" x=\"%d\" y=\"%d\">%d</text>%n",
                        labelWidth, barY, barWidth, BAR - 2, colour, labelWidth + barWidth + 4, barY + BAR - 3, value));
            }
            svg.append("</g>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String shortened(String label) {
        return label.length() <= MAX_LABEL_CHARS ? label : label.substring(0, MAX_LABEL_CHARS - 1) + "\u2026";
    }
}

package dev.streamsight.compare;

import dev.streamsight.compare.ComparisonReport.ClassCount;
import dev.streamsight.compare.ComparisonReport.LabelChange;
import java.util.List;

/**
 * Renders a report as one self-contained HTML page: inline style, inline SVG chart, no script and no
 * external reference (a Content-Security-Policy forbids loading anything), every string from the data
 * escaped. The page is well-formed XML as well, so that tests can parse it. Stateless.
 */
final class HtmlReport {
    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; color: #1d2733; margin: 2em auto; max-width: 1100px;
                   padding: 0 1em; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
            table { border-collapse: collapse; margin: 0.4em 0 1em; }
            th, td { padding: 3px 12px 3px 0; border-bottom: 1px solid #dde3ea; text-align: left; vertical-align: top; }
            th { font-weight: 600; border-bottom: 2px solid #b8c2cc; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            svg.chart { display: block; margin: 0.5em 0 1em; font-size: 12px; }
            svg.chart text { fill: #1d2733; } svg.chart text.value { fill: #52606d; }
            footer { margin-top: 2em; color: #52606d; font-size: 0.85em; }
            """;

    private HtmlReport() {
    }

    static String render(ComparisonReport report) {
        ReportTables tables = ReportTables.of(report);
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8"/>
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                """);
        html.append("<title>").append(Html.escape(tables.headline())).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(Html.escape(tables.headline())).append("</h1>\n");
        html.append("<h2>Inputs</h2>\n");
        table(html, tables.inputs());
        html.append("<h2>Figures</h2>\n");
        table(html, tables.figures());
        if (tables.details() != null) {
            html.append("<h2>").append(Html.escape(tables.details().title())).append("</h2>\n");
            html.append(chart(report));
            table(html, tables.details());
        }
        return html.append("<footer>Streamsight model comparison.</footer>\n</body>\n</html>\n").toString();
    }

    private static String chart(ComparisonReport report) {
        if (report.classification() != null) {
            List<LabelChange> changes = report.classification().labelChanges();
            return changes.isEmpty() ? "" : BarChart.svg("Most frequent top-1 label changes", List.of("count"),
                    changes.stream().map(c -> new BarChart.Row(c.from() + " \u2192 " + c.to(), List.of(c.count())))
                            .toList());
        }
        List<ClassCount> classes = report.detection().perClass();
        return classes.isEmpty() ? "" : BarChart.svg("Objects per class, old and new", List.of("old", "new"),
                classes.stream().map(c -> new BarChart.Row(c.label(), List.of(c.oldCount(), c.newCount()))).toList());
    }

    private static void table(StringBuilder html, Table table) {
        if (table.rows().isEmpty()) {
            return;
        }
        html.append("<table>\n<thead><tr>");
        for (int i = 0; i < table.headers().size(); i++) {
            cell(html, "th", table, i, table.headers().get(i));
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                cell(html, "td", table, i, row.get(i));
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder html, String tag, Table table, int column, String text) {
        html.append('<').append(tag).append(table.numeric(column) ? " class=\"num\">" : ">")
                .append(Html.escape(text)).append("</").append(tag).append('>');
    }
}

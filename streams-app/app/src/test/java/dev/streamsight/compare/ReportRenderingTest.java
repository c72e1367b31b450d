package dev.streamsight.compare;

import static dev.streamsight.compare.Results.box;
import static dev.streamsight.compare.Results.label;
import static dev.streamsight.compare.Results.objects;
import static dev.streamsight.compare.Results.top;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The same figures as text tables, as one JSON object and as a self-contained HTML page. */
class ReportRenderingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "<script>alert(1)</script>";

    private static ComparisonReport classification() {
        Comparison comparison = new Comparison("old.jsonl", "new.jsonl");
        comparison.addOld(top("a", label(281, "tabby", 0.7)));
        comparison.addNew(top("a", label(282, "tiger cat", 0.6)));
        comparison.addOld(top("b", label(281, "tabby", 0.7)));
        comparison.addNew(top("b", label(282, "tiger cat", 0.6)));
        comparison.addOld(top("c", label(1, SCRIPT, 0.5)));
        comparison.addNew(top("c", label(2, "goldfish\u001b[31m", 0.5)));
        comparison.addOld(top("d", label(3, "cat", 0.25)));
        comparison.addNew(top("d", label(3, "cat", 0.5)));
        comparison.addNew(new ModelResult.Classified("e", "\"new\" & <improved>", List.of(label(3, "cat", 1))));
        return comparison.report();
    }

    private static ComparisonReport detection() {
        Comparison comparison = new Comparison("old.jsonl", "new.jsonl");
        comparison.addOld(objects("a", box(0, 0.9, 0, 0, 10, 10), box(0, 0.8, 20, 20, 30, 30),
                box(16, 0.7, 0, 0, 50, 50)));
        comparison.addNew(objects("a", box(0, 0.9, 0, 0, 10, 10), box(16, 0.6, 0, 0, 50, 40),
                box(16, 0.5, 60, 60, 90, 90)));
        return comparison.report();
    }

    @Test
    void textTablesHaveAlignedColumns() {
        String text = detection().toText();
        List<String> lines = text.lines().toList();
        assertTrue(lines.getFirst().startsWith("detection: d (old) vs d (new)"), text);
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("index")).findFirst().orElseThrow());
        int oldEnd = lines.get(header).indexOf("old") + 3;
        int matchedEnd = lines.get(header).length();
        assertTrue(lines.get(header).endsWith("matched"), text);
        assertEquals(List.of("    0  class0     2    1        1", "   16  class16    1    2        1",
                "       total      3    3        2"), lines.subList(header + 1, header + 4), text);
        for (String row : lines.subList(header + 1, header + 4)) {
            assertTrue(Character.isDigit(row.charAt(oldEnd - 1)) && row.charAt(oldEnd) == ' ', row);
            assertEquals(matchedEnd, row.length(), row);
        }
        assertTrue(text.contains("precision        0.667  matched / new objects"), text);
        assertTrue(text.contains("mean IoU         0.900  of the matched pairs"), text);
    }

    @Test
    void textShowsAgreementAndChangesAndNoControlCharacters() {
        String text = classification().toText();
        assertTrue(text.contains("top-1 agreement    1 of 4 (25.0%)"), text);
        assertTrue(text.contains("mean score change  +0.2500"), text);
        assertTrue(text.contains("""
                top-1 changes (old -> new)
                count  old label                  new label
                    2  tabby                      tiger cat
                    1  <script>alert(1)</script>  goldfish?[31m
                """), text);
        assertFalse(text.contains("\u001b"), "control characters from the data are not printed");
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        JsonNode c = JSON.readTree(classification().toJson());
        assertEquals(List.of("task", "old", "new", "joined", "only_old", "only_new", "failed_old", "failed_new",
                "top1_agreement", "top1_agree_count", "top5_overlap", "mean_score_change", "label_changes",
                "label_change_kinds"), names(c));
        assertEquals("classification", c.get("task").asText());
        assertEquals(JSON.readTree("{\"source\":\"new.jsonl\",\"model\":\"m, \\\"new\\\" & <improved>\",\"results\":5,"
                + "\"keys\":5,\"duplicates\":0}"), c.get("new"));
        assertEquals(0.25, c.get("top1_agreement").asDouble(), 1e-6);
        assertEquals(1, c.get("only_new").asInt());
        assertEquals(JSON.readTree("[{\"from\":\"tabby\",\"to\":\"tiger cat\",\"count\":2},"
                + "{\"from\":\"<script>alert(1)</script>\",\"to\":\"goldfish\\u001b[31m\",\"count\":1}]"),
                c.get("label_changes"));

        JsonNode d = JSON.readTree(detection().toJson());
        assertEquals(List.of("task", "old", "new", "joined", "only_old", "only_new", "failed_old", "failed_new",
                "per_class", "old_objects", "new_objects", "matched", "iou_threshold", "precision", "recall",
                "mean_iou", "size_mismatches"), names(d));
        assertEquals(JSON.readTree("[{\"index\":0,\"label\":\"class0\",\"old\":2,\"new\":1,\"matched\":1},"
                + "{\"index\":16,\"label\":\"class16\",\"old\":1,\"new\":2,\"matched\":1}]"), d.get("per_class"));
        assertEquals(2.0 / 3, d.get("recall").asDouble(), 1e-6);
        assertEquals(0.9, d.get("mean_iou").asDouble(), 1e-6);
    }

    @Test
    void htmlEscapesTheDataAndReferencesNothingOutside() throws Exception {
        String html = classification().toHtml();
        assertFalse(html.contains(SCRIPT), "the label is escaped");
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script at all");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("&quot;new&quot; &amp; &lt;improved&gt;"), "model names are escaped too");
        assertTrue(html.contains("goldfish?[31m"), "control characters are not written");
        for (String outside : new String[] {"http://", "https://", "src=", "href=", "url(", "@import", "//cdn"}) {
            assertFalse(html.toLowerCase(Locale.ROOT).contains(outside), outside);
        }
        Document page = parse(html);
        assertEquals(2, count(page, "//svg/g/rect"), "a bar per label change");
        assertEquals("tabby \u2192 tiger cat", text(page, "(//svg/g/title)[1]"));
        assertEquals("2", text(page, "(//svg/g/text[@class='value'])[1]"));
        assertEquals("1 of 4 (25.0%)", text(page, "//tr[td[1]='top-1 agreement']/td[2]"));
    }

    @Test
    void htmlChartsObjectsPerClassOldAndNew() throws Exception {
        Document page = parse(detection().toHtml());
        assertEquals(4, count(page, "//svg/g/rect"), "two classes, an old and a new bar each");
        assertEquals(List.of("2", "1", "1", "2"), List.of(text(page, "(//svg/g/text[@class='value'])[1]"),
                text(page, "(//svg/g/text[@class='value'])[2]"),
                text(page, "(//svg/g/text[@class='value'])[3]"),
                text(page, "(//svg/g/text[@class='value'])[4]")));
        assertEquals("0.667", text(page, "//tr[td[1]='precision']/td[2]"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The page is well-formed XML as well as HTML: a parse is a structural check. */
    private static Document parse(String html) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(Document page, String expression) throws Exception {
        return ((Double) XPathFactory.newInstance().newXPath().evaluate("count(" + expression + ")", page,
                XPathConstants.NUMBER)).intValue();
    }

    private static String text(Document page, String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate("string(" + expression + ")", page);
    }
}

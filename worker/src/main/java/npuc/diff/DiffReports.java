package npuc.diff;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What {@code npuc diff} writes: the table it prints, {@code diff.md} for a pull request or a chat,
 * {@code diff.html} to open, and JUnit XML with one test case per point, so that a CI server lists each
 * regression as a failed test.
 */
public final class DiffReports {
    public static final String MARKDOWN = "diff.md";
    public static final String HTML = "diff.html";
    public static final String JUNIT = "diff-junit.xml";

    private DiffReports() {
    }

    /** Every point that is not unchanged, one line each, then the operators that moved under it. */
    public static void print(SweepDiff diff, PrintWriter out) {
        String format = "%-16s %-30s %-56s %-11s %9s  %s%n";
        boolean any = false;
        for (Map.Entry<PointDiff.Kind, List<PointDiff>> kind : diff.byKind().entrySet()) {
            if (kind.getKey() == PointDiff.Kind.UNCHANGED) {
                continue;
            }
            for (PointDiff p : kind.getValue()) {
                if (!any) {
                    out.printf(format, "change", "model", "target", "strategy", "arena", "what");
                    any = true;
                }
                out.printf(format, kind.getKey().words(), p.key().model(), p.key().target(), p.key().strategy(),
                    npuc.sweep.ByteSize.format(p.key().arenaSize()), p.summary());
                p.layers().forEach(l -> out.println("    " + l));
            }
        }
        out.println("diff: " + diff.summary());
    }

    public static void markdown(SweepDiff diff, Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# npuc diff\n\n");
        s.append("Baseline `").append(diff.baseline().source()).append("`, current `").append(diff.current().source())
            .append("`.\n\nThresholds: ").append(diff.thresholds()).append(".\n\n");
        s.append("**").append(diff.summary()).append("**\n");
        for (Map.Entry<PointDiff.Kind, List<PointDiff>> kind : diff.byKind().entrySet()) {
            if (kind.getKey() == PointDiff.Kind.UNCHANGED || kind.getValue().isEmpty()) {
                continue;
            }
            s.append("\n## ").append(heading(kind.getKey())).append(" (").append(kind.getValue().size()).append(")\n\n");
            s.append("| model | target | strategy | arena | what |\n|---|---|---|---|---|\n");
            for (PointDiff p : kind.getValue()) {
                s.append("| ").append(cell(p.key().model())).append(" | ").append(cell(p.key().target())).append(" | ")
                    .append(p.key().strategy()).append(" | ").append(npuc.sweep.ByteSize.format(p.key().arenaSize()))
                    .append(" | ").append(cell(p.summary()));
                for (LayerDiff.LayerChange l : p.layers()) {
                    s.append("<br>").append(cell(l.toString()));
                }
                s.append(" |\n");
            }
        }
        Files.writeString(file, s.toString());
    }

    public static void html(SweepDiff diff, Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>npuc diff</title><style>")
            .append("body{font-family:system-ui,sans-serif;margin:24px;color:#1d1d1f}")
            .append("table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;")
            .append("text-align:left;vertical-align:top}th{background:#eef2f7}")
            .append("h2.regression{color:#b3261e}h2.improvement{color:#1b7f3b}.layers{color:#555;font-size:12px}")
            .append("</style></head><body>\n<h1>npuc diff</h1>\n<p>Baseline <code>").append(escape(diff.baseline().source().toString()))
            .append("</code>, current <code>").append(escape(diff.current().source().toString()))
            .append("</code>.</p>\n<p>Thresholds: ").append(escape(diff.thresholds().toString())).append(".</p>\n<p><strong>")
            .append(escape(diff.summary())).append("</strong></p>\n");
        for (Map.Entry<PointDiff.Kind, List<PointDiff>> kind : diff.byKind().entrySet()) {
            if (kind.getKey() == PointDiff.Kind.UNCHANGED || kind.getValue().isEmpty()) {
                continue;
            }
            s.append("<h2 class=\"").append(kind.getKey().words().replace(' ', '-')).append("\">")
                .append(heading(kind.getKey())).append(" (").append(kind.getValue().size()).append(")</h2>\n")
                .append("<table><tr><th>model</th><th>target</th><th>strategy</th><th>arena</th><th>what</th></tr>\n");
            for (PointDiff p : kind.getValue()) {
                s.append("<tr><td>").append(escape(p.key().model())).append("</td><td>").append(escape(p.key().target()))
                    .append("</td><td>").append(escape(p.key().strategy())).append("</td><td>")
                    .append(npuc.sweep.ByteSize.format(p.key().arenaSize())).append("</td><td>").append(escape(p.summary()));
                if (!p.layers().isEmpty()) {
                    s.append("<div class=\"layers\">");
                    p.layers().forEach(l -> s.append(escape(l.toString())).append("<br>"));
                    s.append("</div>");
                }
                s.append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        s.append("</body></html>\n");
        Files.writeString(file, s.toString());
    }

    /** One test case per point: a regression fails, a point on one side only is skipped, the rest pass. */
    public static void junit(SweepDiff diff, Path file) throws IOException {
        long failures = diff.of(PointDiff.Kind.REGRESSION).size();
        long skipped = diff.of(PointDiff.Kind.ONLY_IN_BASELINE).size() + diff.of(PointDiff.Kind.ONLY_IN_CURRENT).size();
        try (Writer w = Files.newBufferedWriter(file)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "npuc diff");
            x.writeAttribute("tests", Integer.toString(diff.points().size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Long.toString(skipped));
            x.writeCharacters("\n");
            for (PointDiff p : diff.points()) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "sweep." + p.key().model());
                x.writeAttribute("name", p.key().target() + " " + p.key().strategy() + " "
                    + npuc.sweep.ByteSize.format(p.key().arenaSize()));
                x.writeAttribute("time", String.format(Locale.ROOT, "%.3f",
                    p.current().map(c -> c.compileMillis() / 1000.0).orElse(0.0)));
                switch (p.kind()) {
                    case REGRESSION -> {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", p.summary());
                        x.writeAttribute("type", "regression");
                        StringBuilder details = new StringBuilder(p.summary());
                        p.layers().forEach(l -> details.append('\n').append(l));
                        x.writeCharacters(details.toString());
                        x.writeEndElement();
                    }
                    case ONLY_IN_BASELINE, ONLY_IN_CURRENT -> {
                        x.writeEmptyElement("skipped");
                        x.writeAttribute("message", p.kind().words());
                    }
                    case IMPROVEMENT -> {
                        x.writeStartElement("system-out");
                        x.writeCharacters("improvement: " + p.summary());
                        x.writeEndElement();
                    }
                    case UNCHANGED -> {
                        // Passed.
                    }
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String heading(PointDiff.Kind kind) {
        String words = kind.words();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1) + (kind == PointDiff.Kind.REGRESSION
            || kind == PointDiff.Kind.IMPROVEMENT ? "s" : "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String escape(String text) {
        return npuc.sweep.SweepReport.escape(text);
    }
}

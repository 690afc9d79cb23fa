package npuc.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of Vela's summary CSV. Only the columns whose stage has run are present: a column npuc
 * cannot compute yet is left out, never made up.
 */
public record NetworkSummary(Map<String, Object> values) {

    public NetworkSummary {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (SummaryColumn c : SummaryColumn.ALL) {
            Object v = values.get(c.name());
            if (v != null) {
                ordered.put(c.name(), check(c, v));
            }
        }
        for (String name : values.keySet()) {
            SummaryColumn.named(name);
        }
        values = Collections.unmodifiableMap(ordered);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Object get(String column) {
        return values.get(column);
    }

    /** The value as Vela writes it in the CSV. */
    public String format(String column) {
        Object v = values.get(column);
        if (v == null) {
            return "";
        }
        return switch (SummaryColumn.named(column).kind()) {
            case TEXT -> v.toString();
            case INTEGER -> Long.toString(((Number) v).longValue());
            case DECIMAL -> PythonFloat.repr(((Number) v).doubleValue());
        };
    }

    /** A header line and a value line, as Vela writes {@code <network>_summary_<system config>.csv}. */
    public String toCsv() {
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (String column : values.keySet()) {
            if (!header.isEmpty()) {
                header.append(',');
                row.append(',');
            }
            header.append(column);
            row.append(csvField(format(column)));
        }
        // Python's csv module ends rows with \r\n.
        return header + "\r\n" + row + "\r\n";
    }

    private static String csvField(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static Object check(SummaryColumn c, Object v) {
        boolean ok = switch (c.kind()) {
            case TEXT -> v instanceof String;
            case INTEGER -> v instanceof Long || v instanceof Integer;
            case DECIMAL -> v instanceof Number;
        };
        if (!ok) {
            throw new IllegalArgumentException("summary column " + c.name() + " holds " + c.kind() + ", not "
                    + v.getClass().getSimpleName());
        }
        return v;
    }

    /** Collects columns from the stages in any order; the summary orders them as Vela does. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Builder put(String column, Object value) {
            SummaryColumn.named(column);
            values.put(column, value);
            return this;
        }

        public NetworkSummary build() {
            return new NetworkSummary(values);
        }
    }
}

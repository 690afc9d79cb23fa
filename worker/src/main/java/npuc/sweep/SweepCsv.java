package npuc.sweep;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import npuc.BadInputException;
import npuc.report.SummaryColumn;
import npuc.worker.PipelineCompiler;

/**
 * {@code sweep.csv}: one row per point. The point and how it ended first, then every column of Vela's
 * summary CSV under Vela's names, then the compile time and the npuc that compiled it. Read back by
 * column name, so a file with columns added later still reads.
 */
public final class SweepCsv {
    public static final String FILE_NAME = "sweep.csv";

    static final String MODEL = "model";
    static final String SHA256 = "model_sha256";
    static final String TARGET = "target";
    static final String ARENA_SIZE = "arena_size";
    static final String STRATEGY = "strategy";
    static final String OPTIONS = "options";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String SIGNATURE = "error_signature";
    static final String COMPILE_MS = "compile_ms";
    static final String VERSION = "npuc_version";

    /** The figures of a point, in column order: npuc's operator counts, then Vela's summary columns. */
    public static final List<String> METRICS = metrics();

    public static final List<String> COLUMNS = columns();

    /** Quotes only the fields that need it (a separator, a quote, a line break), as Vela's CSV does. */
    private static final CsvMapper MAPPER = CsvMapper.builder()
        .enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private SweepCsv() {
    }

    private static List<String> metrics() {
        List<String> m = new ArrayList<>(List.of(PipelineCompiler.CPU_OPERATORS, PipelineCompiler.NPU_OPERATORS));
        SummaryColumn.ALL.forEach(c -> m.add(c.name()));
        return List.copyOf(m);
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of(MODEL, SHA256, TARGET, ARENA_SIZE, STRATEGY, OPTIONS, STATUS, ERROR,
            SIGNATURE));
        c.addAll(METRICS);
        c.addAll(List.of(COMPILE_MS, VERSION));
        return List.copyOf(c);
    }

    private static CsvSchema schema(boolean header) {
        CsvSchema.Builder b = CsvSchema.builder();
        COLUMNS.forEach(b::addColumn);
        return b.build().withUseHeader(header);
    }

    /** A writer of rows; the header goes first when {@code header}. Each row is flushed as written. */
    static SequenceWriter writer(Writer out, boolean header) throws IOException {
        return MAPPER.writer(schema(header)).writeValues(out);
    }

    static void write(SequenceWriter writer, PointResult r) throws IOException {
        writer.write(row(r));
        writer.flush();
    }

    private static List<String> row(PointResult r) {
        List<String> row = new ArrayList<>(COLUMNS.size());
        row.addAll(List.of(r.key().model(), r.modelSha256(), r.key().target(), Long.toString(r.key().arenaSize()),
            r.key().strategy(), r.options(), r.status().name(), r.error(), r.errorSignature()));
        METRICS.forEach(m -> row.add(r.metrics().getOrDefault(m, "")));
        row.add(Long.toString(r.compileMillis()));
        row.add(r.npucVersion());
        return row;
    }

    /** Writes the whole file. */
    public static void write(Path file, List<PointResult> results) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); SequenceWriter w = writer(out, true)) {
            for (PointResult r : results) {
                w.write(row(r));
            }
        }
    }

    /**
     * Reads a sweep CSV.
     *
     * @throws BadInputException when it is not one (missing columns, a bad number or status), naming the row
     */
    public static List<PointResult> read(Path file) throws BadInputException {
        List<PointResult> results = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file);
             MappingIterator<Map<String, String>> rows = MAPPER.readerForMapOf(String.class)
                 .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                results.add(parse(file, line, rows.next()));
            }
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": not a sweep CSV: " + e.getMessage(), e);
        }
        return results;
    }

    private static PointResult parse(Path file, int line, Map<String, String> row) throws BadInputException {
        for (String column : List.of(MODEL, TARGET, ARENA_SIZE, STRATEGY, STATUS)) {
            if (row.get(column) == null || row.get(column).isEmpty()) {
                throw new BadInputException(file + " row " + line + ": no " + column);
            }
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String m : METRICS) {
            String v = row.get(m);
            if (v != null && !v.isEmpty()) {
                metrics.put(m, v);
            }
        }
        try {
            PointKey key = new PointKey(row.get(MODEL), row.get(TARGET), row.get(STRATEGY),
                Long.parseLong(row.get(ARENA_SIZE)));
            return new PointResult(key, text(row, SHA256), text(row, OPTIONS), PointStatus.valueOf(row.get(STATUS)),
                text(row, ERROR), text(row, SIGNATURE), metrics,
                text(row, COMPILE_MS).isEmpty() ? 0 : Long.parseLong(row.get(COMPILE_MS)), text(row, VERSION));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + " row " + line + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : v;
    }
}

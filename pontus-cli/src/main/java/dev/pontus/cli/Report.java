package dev.pontus.cli;

import dev.pontus.validate.Violation;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Writes findings as they come, one object at a time, so that memory stays flat whatever the bucket holds: a table
 * for people, JSON Lines or CSV for programs. Reports of several shards concatenate (JSON Lines as they are; CSV and
 * table with {@code --no-header} on all but one). Thread-safe.
 */
abstract class Report implements AutoCloseable {
    /** The report formats of {@code --format}. */
    enum Format {
        TABLE,
        JSONL,
        CSV
    }

    protected final PrintWriter out;
    private boolean owned;
    private boolean header;
    private boolean headerWritten;

    private Report(PrintWriter out) {
        this.out = out;
    }

    /** A report on {@code out}; {@code owned}: closed with the report (a file), else only flushed (stdout). */
    static Report of(Format format, PrintWriter out, boolean owned, boolean header) {
        Report report = switch (format) {
            case TABLE -> new Table(out);
            case JSONL -> new JsonLines(out);
            case CSV -> new Csv(out);
        };
        report.owned = owned;
        report.header = header;
        return report;
    }

    /** Writes one finding (the header first, before the first one, so that a run that cannot start prints none). */
    synchronized void write(Finding finding) {
        writeHeader();
        render(finding);
        out.flush();
    }

    /** The run went to its end: a CSV without findings still gets its header, for the programs that read it. */
    synchronized void complete() {
        if (this instanceof Csv) {
            writeHeader();
        }
        out.flush();
    }

    private void writeHeader() {
        if (header && !headerWritten) {
            headerWritten = true;
            header();
        }
    }

    void header() {}

    abstract void render(Finding finding);

    @Override
    public synchronized void close() {
        out.flush();
        if (owned) {
            out.close();
        }
    }

    /** Columns for people: one row per violation, the key last so that long keys do not break the alignment. */
    static final class Table extends Report {
        private static final String ROW = "%-20s %10s  %-24s %-24s %-8s %s%n";

        Table(PrintWriter out) {
            super(out);
        }

        @Override
        void header() {
            out.printf(Locale.ROOT, ROW, "FINDING", "SIZE", "DECLARED", "CONTENT", "ACTION", "KEY");
        }

        @Override
        void render(Finding f) {
            for (Violation v : f.violations()) {
                out.printf(
                        Locale.ROOT,
                        ROW,
                        v.code(),
                        Sizes.human(f.size()),
                        orDash(f.declaredType()),
                        orDash(f.detectedType()),
                        f.action().status().label,
                        Text.printable(f.key()));
            }
        }

        private static String orDash(String value) {
            return value == null ? "-" : Text.printable(value);
        }
    }

    /** One JSON object per object found wrong, on one line. */
    static final class JsonLines extends Report {
        JsonLines(PrintWriter out) {
            super(out);
        }

        @Override
        void render(Finding f) {
            StringBuilder line = new StringBuilder(256)
                    .append("{\"bucket\":")
                    .append(Json.string(f.bucket()))
                    .append(",\"key\":")
                    .append(Json.string(f.key()))
                    .append(",\"size\":")
                    .append(f.size())
                    .append(",\"etag\":")
                    .append(Json.string(f.eTag()))
                    .append(",\"declaredType\":")
                    .append(Json.string(f.declaredType()))
                    .append(",\"detectedType\":")
                    .append(Json.string(f.detectedType()))
                    .append(",\"findings\":[");
            for (int i = 0; i < f.violations().size(); i++) {
                Violation v = f.violations().get(i);
                line.append(i == 0 ? "" : ",")
                        .append("{\"code\":")
                        .append(Json.string(v.code()))
                        .append(",\"message\":")
                        .append(Json.string(v.message()))
                        .append('}');
            }
            line.append("],\"action\":");
            ActionOutcome a = f.action();
            if (a.status() == ActionOutcome.Status.NONE) {
                line.append("null");
            } else {
                line.append("{\"type\":")
                        .append(Json.string(a.action()))
                        .append(",\"status\":")
                        .append(Json.string(a.status().label))
                        .append(",\"detail\":")
                        .append(Json.string(a.detail()))
                        .append('}');
            }
            out.append(line).append("}\n");
        }
    }

    /** RFC 4180 CSV, one row per violation; every field quoted. */
    static final class Csv extends Report {
        Csv(PrintWriter out) {
            super(out);
        }

        @Override
        void header() {
            row(
                    "bucket",
                    "key",
                    "size",
                    "etag",
                    "declared_type",
                    "detected_type",
                    "code",
                    "message",
                    "action",
                    "action_status",
                    "action_detail");
        }

        @Override
        void render(Finding f) {
            ActionOutcome a = f.action();
            for (Violation v : f.violations()) {
                row(
                        f.bucket(),
                        f.key(),
                        Long.toString(f.size()),
                        f.eTag(),
                        f.declaredType(),
                        f.detectedType(),
                        v.code(),
                        v.message(),
                        a.action(),
                        a.status() == ActionOutcome.Status.NONE ? "" : a.status().label,
                        a.detail());
            }
        }

        private void row(String... fields) {
            for (int i = 0; i < fields.length; i++) {
                String field = fields[i] == null ? "" : fields[i];
                out.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(field.replace("\"", "\"\""))
                        .append('"');
            }
            out.append("\r\n");
        }
    }
}

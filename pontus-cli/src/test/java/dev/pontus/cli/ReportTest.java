package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pontus.validate.Violation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final Finding DISGUISED = new Finding(
            "photos",
            "up/\"odd\",\u0007name\n.jpg",
            1536,
            "\"abc\"",
            "image/jpeg",
            "text/html",
            List.of(
                    new Violation("type-active-content", "Files of type text/html can run as a script."),
                    new Violation("type-mismatch", "Declared as image/jpeg, but \"text/html\".")),
            new ActionOutcome("quarantine", ActionOutcome.Status.DONE, "q/up/odd.jpg"));

    private static String render(Report.Format format, boolean header, Finding... findings) {
        StringWriter out = new StringWriter();
        try (Report report = Report.of(format, new PrintWriter(out), true, header)) {
            for (Finding finding : findings) {
                report.write(finding);
            }
            report.complete();
        }
        return out.toString();
    }

    @Test
    void jsonLinesAreOneParsableObjectPerFinding() throws Exception {
        String jsonl = render(Report.Format.JSONL, true, DISGUISED, DISGUISED);
        String[] lines = jsonl.split("\n");
        assertThat(lines).hasSize(2);
        JsonNode node = new ObjectMapper().readTree(lines[0]);
        assertThat(node.get("key").asText()).isEqualTo(DISGUISED.key());
        assertThat(node.get("etag").asText()).isEqualTo("\"abc\"");
        assertThat(node.get("size").asLong()).isEqualTo(1536);
        assertThat(node.get("findings").get(1).get("message").asText()).contains("\"text/html\"");
        assertThat(node.get("action").get("status").asText()).isEqualTo("done");
    }

    @Test
    void csvQuotesEveryFieldAndHasOneRowPerViolation() {
        String csv = render(Report.Format.CSV, true, DISGUISED);
        assertThat(csv).startsWith("\"bucket\",\"key\",\"size\"");
        assertThat(csv).contains("\"up/\"\"odd\"\",\u0007name\n.jpg\"");
        assertThat(csv.split("\r\n")).hasSize(3);
    }

    @Test
    void aCsvWithoutFindingsStillHasItsHeaderButNoHeaderWhenAsked() {
        assertThat(render(Report.Format.CSV, true)).startsWith("\"bucket\"");
        assertThat(render(Report.Format.CSV, false, DISGUISED)).startsWith("\"photos\"");
        assertThat(render(Report.Format.TABLE, true)).isEmpty();
    }

    @Test
    void theTableShowsControlCharactersAsEscapesAndTheKeyLast() {
        String[] rows = render(Report.Format.TABLE, true, DISGUISED).split("\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).startsWith("FINDING").endsWith("KEY");
        assertThat(rows[1])
                .startsWith("type-active-content")
                .contains("1.5 KiB", "image/jpeg", "text/html", "done")
                .endsWith("up/\"odd\",\\u0007name\\u000a.jpg");
    }
}

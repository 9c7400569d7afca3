package dev.pontus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3NamesQuoteForLogTest {
    @Test
    void escapesEverythingThatCouldEndALineOrForgeAnother() {
        assertThat(S3Names.quoteForLog("a\r\n2026-12-01 ERROR forged")).isEqualTo("\"a\\r\\n2026-12-01 ERROR forged\"");
        assertThat(S3Names.quoteForLog("a\u2028b\u2029c\u0085d")).isEqualTo("\"a\\u2028b\\u2029c\\u0085d\"");
        assertThat(S3Names.quoteForLog("\u001b[31mred\u0000")).isEqualTo("\"\\u001b[31mred\\u0000\"");
        assertThat(S3Names.quoteForLog("tab\there\u007f")).isEqualTo("\"tab\\there\\u007f\"");
    }

    @Test
    void escapesQuotesAndBackslashesSoTheQuotedValueEndsWhereItSeemsTo() {
        assertThat(S3Names.quoteForLog("a\" level=\"ERROR")).isEqualTo("\"a\\\" level=\\\"ERROR\"");
        assertThat(S3Names.quoteForLog("c:\\dir\\")).isEqualTo("\"c:\\\\dir\\\\\"");
    }

    @Test
    void leavesOrdinaryTextAndOtherScriptsAlone() {
        assertThat(S3Names.quoteForLog("files/2026/Café 東京 😀.jpg")).isEqualTo("\"files/2026/Café 東京 😀.jpg\"");
        assertThat(S3Names.quoteForLog("")).isEqualTo("\"\"");
        assertThat(S3Names.quoteForLog(null)).isEqualTo("null");
    }

    @Test
    void escapesLoneSurrogatesAndNeverSplitsAPair() {
        assertThat(S3Names.quoteForLog("a\ud800b")).isEqualTo("\"a\\ud800b\"");
        String cut = S3Names.quoteForLog("x".repeat(299) + "😀" + "y".repeat(10));
        assertThat(cut).isEqualTo("\"" + "x".repeat(299) + "\"…(12 more)");
    }

    @Test
    void cutsLongInputAndSaysHowMuchWasLeftOut() {
        String quoted = S3Names.quoteForLog("k".repeat(5000));
        assertThat(quoted).startsWith("\"kkk").endsWith("\"…(4700 more)").hasSize(300 + 2 + "…(4700 more)".length());
    }
}

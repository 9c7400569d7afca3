package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResumeTest {

    @Test
    void theSafePointIsTheLastKeyWithEveryEarlierOneDone() {
        Resume resume = new Resume("a");
        resume.started("b");
        resume.started("c");
        resume.started("d");
        assertThat(resume.safePoint()).isEqualTo("a");
        resume.finished("c"); // out of order: b is still running
        assertThat(resume.safePoint()).isEqualTo("a");
        resume.finished("b");
        assertThat(resume.safePoint()).isEqualTo("c");
        resume.finished("d");
        assertThat(resume.safePoint()).isEqualTo("d");
    }

    @Test
    void nothingDoneMeansNoSafePoint() {
        Resume resume = new Resume(null);
        resume.started("x");
        assertThat(resume.safePoint()).isNull();
    }
}

package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parsesBucketAndPrefix() {
        assertThat(Target.parse("s3://photos")).isEqualTo(new Target("photos", ""));
        assertThat(Target.parse("s3://photos/")).isEqualTo(new Target("photos", ""));
        assertThat(Target.parse("s3://photos/uploads/2026/")).isEqualTo(new Target("photos", "uploads/2026/"));
        assertThat(Target.parse("s3://photos/uploads/2026/").toString()).isEqualTo("s3://photos/uploads/2026/");
    }

    @Test
    void refusesWhatIsNoS3Location() {
        assertThatThrownBy(() -> Target.parse("photos/uploads")).hasMessageContaining("give s3://BUCKET");
        assertThatThrownBy(() -> Target.parse("s3://")).hasMessageContaining("is not an S3 location");
        assertThatThrownBy(() -> Target.parse("s3://Photos/")).hasMessageContaining("not a valid S3 bucket name");
        assertThatThrownBy(() -> Target.parse("s3://photos/a\nb")).hasMessageContaining("control character");
    }
}

package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(MotoExtension.class)
class MotoIT {

    @Test
    void sharedServerAnswersS3(Moto moto) {
        try (S3Client s3 = moto.s3ClientBuilder().build()) {
            String bucket = Moto.newName("bucket");
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("a b.txt"), RequestBody.fromString("hello"));

            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("a b.txt")).asUtf8String())
                    .isEqualTo("hello");
        }
    }

    @Test
    void closeStopsTheServer() {
        Moto moto = Moto.start();
        assertThat(moto.isRunning()).isTrue();

        moto.close();

        assertThat(moto.isRunning()).isFalse();
        try (S3Client s3 = moto.s3ClientBuilder().build()) {
            assertThatThrownBy(s3::listBuckets).hasMessageContaining("Unable to execute HTTP request");
        }
    }

    @Test
    void missingExecutableFailsSayingWhatToInstall() {
        String before = System.getProperty(Moto.COMMAND_PROPERTY);
        System.setProperty(Moto.COMMAND_PROPERTY, "/nonexistent/moto_server");
        try {
            assertThatThrownBy(Moto::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/moto_server is not an executable file")
                    .hasMessageContaining("pip install 'moto[server]");
        } finally {
            if (before == null) {
                System.clearProperty(Moto.COMMAND_PROPERTY);
            } else {
                System.setProperty(Moto.COMMAND_PROPERTY, before);
            }
        }
    }
}

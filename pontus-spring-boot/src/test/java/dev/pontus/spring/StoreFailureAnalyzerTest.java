package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Start-up without credentials or without a region, with the AWS SDK's own default chains finding nothing (empty
 * profile files, no instance metadata): each fails with a failure analysis that names the fix.
 */
class StoreFailureAnalyzerTest {
    private static final Map<String, String> CHAIN_SETTINGS = Map.of(
            "aws.sharedCredentialsFile", "credentials",
            "aws.configFile", "config",
            "aws.disableEc2Metadata", "true",
            "aws.profile", "pontus-test-none");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
            .withPropertyValues("pontus.bucket=photos");

    @TempDir
    Path empty;

    @BeforeEach
    void chainsFindNothing() throws IOException {
        for (String variable : new String[] {"AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_DEFAULT_REGION"}) {
            assertThat(System.getenv(variable))
                    .as(
                            "%s is set in the environment; unset it to run this test (it checks start-up without it)",
                            variable)
                    .isNull();
        }
        for (Map.Entry<String, String> setting : CHAIN_SETTINGS.entrySet()) {
            String value = setting.getValue();
            if (!value.equals("true") && !value.startsWith("pontus-")) {
                Path file = Files.writeString(empty.resolve(value), "");
                value = file.toString();
            }
            System.setProperty(setting.getKey(), value);
        }
    }

    @AfterEach
    void restore() {
        CHAIN_SETTINGS.keySet().forEach(System::clearProperty);
    }

    @Test
    void noCredentialsFailsStartUpNamingWhereToSetThem() {
        runner.withPropertyValues("pontus.region=eu-west-1")
                .run(context -> analysis(context.getStartupFailure(), a -> {
                    assertThat(a.getDescription())
                            .as("the action says it all; not the SDK's list of every provider it tried")
                            .isEqualTo("No AWS credentials were found for the store.");
                    assertThat(a.getAction())
                            .contains("pontus.access-key and pontus.secret-key")
                            .contains("AWS_ACCESS_KEY_ID")
                            .contains("spring.cloud.aws.credentials");
                }));
    }

    @Test
    void noRegionFailsStartUpNamingPontusRegion() {
        runner.withPropertyValues("pontus.access-key=user", "pontus.secret-key=password")
                .run(context -> analysis(context.getStartupFailure(), a -> {
                    assertThat(a.getDescription()).isEqualTo("No AWS region was found for the bucket.");
                    assertThat(a.getAction()).contains("Set pontus.region to the bucket's region");
                }));
    }

    @Test
    void aCustomEndpointNeedsNoRegion() {
        runner.withPropertyValues(
                        "pontus.endpoint=http://127.0.0.1:9",
                        "pontus.access-key=user",
                        "pontus.secret-key=password",
                        "pontus.fail-fast=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** What Boot prints: the analyzer it finds in spring.factories, applied to the start-up failure. */
    static void analysis(Throwable failure, Consumer<FailureAnalysis> check) {
        assertThat(failure).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new StoreFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("Pontus's analysis of %s", failure).isNotNull();
        check.accept(analysis);
    }

    @Test
    void theAnalyzerIsRegisteredForBoot() throws IOException {
        Properties factories = PropertiesLoaderUtils.loadProperties(
                new ClassPathResource("META-INF/spring.factories", StoreFailureAnalyzer.class.getClassLoader()));
        // getResource finds the first on the class path: the module's own classes come first in tests.
        assertThat(factories.getProperty(FailureAnalyzer.class.getName()))
                .contains(StoreFailureAnalyzer.class.getName());
    }
}

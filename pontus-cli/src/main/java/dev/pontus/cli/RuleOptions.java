package dev.pontus.cli;

import dev.pontus.spring.PontusProperties;
import dev.pontus.spring.PontusRules;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Validators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The rules an audit checks, as an app's validation has them: the starter's {@code pontus.*} settings from
 * {@code --config} (YAML or properties, bound by Spring Boot's own {@link Binder}), the flags on top, then the
 * starter's one mapping of settings to rules. The audit adds one check of its own: the disguise check (a declared
 * Content-Type that is not what the content is).
 */
final class RuleOptions {
    /** The flags that set a {@code pontus.*} property, to name them in messages. */
    private static final Map<String, String> FLAGS = Map.of(
            "pontus.allowed-content-types", "--allow",
            "pontus.denied-content-types", "--deny",
            "pontus.max-file-size", "--max-size",
            "pontus.min-file-size", "--min-size",
            "pontus.max-image-pixels", "--max-pixels",
            "pontus.scan", "--scan");

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "An app's application.yml or .properties: its pontus.* settings are the rules. Flags win.")
    Path config;

    @Option(
            names = "--allow",
            split = ",",
            paramLabel = "TYPE",
            description = "MIME types allowed, sniffed from the content: image/*,application/pdf. Default: any.")
    List<String> allow;

    @Option(
            names = "--deny",
            split = ",",
            paramLabel = "TYPE",
            description = "MIME types refused, sniffed from the content: application/zip,video/*.")
    List<String> deny;

    @Option(
            names = "--max-size",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            description = "The largest file allowed, such as 10MB (binary units). Default: 20MB, as the starter.")
    DataSize maxSize;

    @Option(
            names = "--min-size",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            description = "The smallest file allowed, such as 1B (the default).")
    DataSize minSize;

    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            description = "The largest image allowed, in pixels (width x height). Default: 100000000.")
    Long maxPixels;

    @Option(
            names = "--allow-active-content",
            description = "Allow files that run as script in a browser (HTML, SVG, XML, JavaScript); refused by"
                    + " default.")
    boolean allowActiveContent;

    @Option(
            names = "--scan",
            paramLabel = "MODE",
            description = "How much of each image or PDF the markup scan reads: head-and-tail (default: the first"
                    + " and last 64 KiB) or full (every byte, up to pontus.full-scan-max-size).")
    String scan;

    /** The checker for {@code bucket}: every key under the audited prefix, nothing promoted or deleted. */
    UploadPromoter promoter(S3Client s3, String bucket) {
        PontusProperties properties = properties();
        try {
            UploadPromoter.Builder builder = PontusRules.of(properties)
                    .applyTo(UploadPromoter.builder().s3(s3).bucket(bucket));
            // An audit checks every key under the audited prefix in place: no upload prefix, nothing promoted.
            builder.unvalidatedPrefix("").validatedPrefix("").deleteInvalid(false);
            return builder.validators(disguised()).build();
        } catch (InvalidConfigurationPropertyValueException e) {
            String flag = FLAGS.get(e.getName());
            throw new CliException("invalid value '" + e.getValue() + "' for " + e.getName()
                    + (flag == null ? "" : " (" + flag + ")") + ": " + Failures.firstLine(e.getReason()));
        } catch (IllegalArgumentException e) {
            throw new CliException(Failures.firstLine(e.getMessage()));
        }
    }

    /**
     * A declared Content-Type that is not what the content is ({@code type-mismatch}), even where the true type is
     * allowed; a missing or generic declared type says nothing, and passes.
     */
    static Validator disguised() {
        Validator matches = Validators.declaredTypeMatches();
        return upload -> {
            String declared = upload.contentType();
            boolean generic = declared == null
                    || declared.isBlank()
                    || declared.toLowerCase(Locale.ROOT).startsWith("binary/octet-stream");
            return generic ? List.of() : matches.validate(upload);
        };
    }

    /** The {@code pontus.*} settings: the config file's, then every flag given. */
    PontusProperties properties() {
        PontusProperties properties = new PontusProperties();
        if (config != null) {
            bind(config, properties);
        }
        if (allow != null) {
            properties.setAllowedContentTypes(new ArrayList<>(allow));
        }
        if (deny != null) {
            properties.setDeniedContentTypes(new ArrayList<>(deny));
        }
        if (maxSize != null) {
            properties.setMaxFileSize(maxSize);
        }
        if (minSize != null) {
            properties.setMinFileSize(minSize);
        }
        if (maxPixels != null) {
            properties.setMaxImagePixels(maxPixels);
        }
        if (allowActiveContent) {
            properties.setAllowActiveContent(true);
        }
        if (scan != null) {
            properties.setScan(scanMode(scan));
        }
        return properties;
    }

    private static PontusProperties.Scan scanMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "head-and-tail" -> PontusProperties.Scan.HEAD_AND_TAIL;
            case "full" -> PontusProperties.Scan.FULL;
            default -> throw new CliException("--scan: '" + value + "' is not a scan mode; give head-and-tail or full");
        };
    }

    /** Binds {@code pontus.*} of an application.yml or .properties, as Spring Boot would for the app. */
    static void bind(Path file, PontusProperties into) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        PropertySourceLoader loader;
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            loader = new YamlPropertySourceLoader();
        } else if (name.endsWith(".properties")) {
            loader = new PropertiesPropertySourceLoader();
        } else {
            throw new CliException("--config: '" + file + "' is neither .yml, .yaml nor .properties; give the app's"
                    + " application.yml or application.properties");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("--config: there is no file at '" + file + "'");
        }
        List<PropertySource<?>> sources;
        try {
            sources = loader.load(file.toString(), new FileSystemResource(file));
        } catch (IOException | RuntimeException e) {
            throw new CliException("--config: '" + file + "' could not be read: " + Failures.firstLine(e.getMessage()));
        }
        try {
            new Binder(ConfigurationPropertySources.from(sources)).bind("pontus", Bindable.ofInstance(into));
        } catch (BindException e) {
            String where = e.getProperty() == null
                    ? String.valueOf(e.getName())
                    : e.getProperty().getName() + " = '" + e.getProperty().getValue() + "' ("
                            + e.getProperty().getOrigin() + ")";
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new CliException(
                    "--config: invalid value for " + where + ": " + Failures.firstLine(cause.getMessage()));
        }
    }

    /** {@code 10MB}, {@code 512KB}, {@code 1GB}, {@code 200B}: Spring Boot's sizes. */
    static final class SizeConverter implements ITypeConverter<DataSize> {
        @Override
        public DataSize convert(String value) {
            try {
                DataSize size = DataSize.parse(value.trim());
                if (size.isNegative()) {
                    throw new IllegalArgumentException("negative");
                }
                return size;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a size; give one such as 10MB, 512KB, 1GB or 200B");
            }
        }
    }
}

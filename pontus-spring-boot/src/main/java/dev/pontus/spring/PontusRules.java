package dev.pontus.spring;

import static java.util.Objects.requireNonNull;

import dev.pontus.validate.ImageDimensions;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Validators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * The one place that turns {@code pontus.*} settings into validation rules and promoter settings, used by the
 * auto-configuration and by tools that read the same settings outside an application context. Every value is
 * checked when the rules are made: a bad one is an {@link InvalidConfigurationPropertyValueException} that names
 * the property, its value and the fix.
 *
 * <pre>{@code
 * PontusProperties properties = Binder.get(environment).bindOrCreate("pontus", PontusProperties.class);
 * UploadPromoter promoter = PontusRules.of(properties)
 *         .applyTo(UploadPromoter.builder().s3(s3).bucket(properties.getBucket()))
 *         .build();
 * }</pre>
 */
public final class PontusRules {
    private final PontusProperties properties;
    private final List<Validator> validators;

    private PontusRules(PontusProperties properties, List<Validator> validators) {
        this.properties = properties;
        this.validators = List.copyOf(validators);
    }

    /**
     * The rules of {@code properties}.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first property whose value is refused
     */
    public static PontusRules of(PontusProperties properties) {
        requireNonNull(properties, "properties");
        PontusRules rules = new PontusRules(properties, builtIns(properties));
        rules.applyTo(UploadPromoter.builder()); // checks every promoter setting now, not at first use
        return rules;
    }

    /** The built-in validators, in the order they run: size, types, embedded markup, image dimensions. */
    public List<Validator> validators() {
        return validators;
    }

    /**
     * Sets everything {@code pontus.*} says about promotion except the S3 client and the bucket: prefixes, what
     * is deleted, active content, type correction, how much is read and scanned, timeouts, multipart copy, ACL,
     * and {@link #validators()} (added before any the caller adds afterwards).
     */
    public UploadPromoter.Builder applyTo(UploadPromoter.Builder builder) {
        applyPromotion(builder);
        applyReading(builder);
        builder.validators(validators);
        return builder;
    }

    /** Where files go and what is deleted, served or refused whatever the validators say. */
    private void applyPromotion(UploadPromoter.Builder builder) {
        PontusProperties p = properties;
        PropertyMapper map = PropertyMapper.get();
        map.from(p::getUnvalidatedPrefix)
                .to(v -> set("pontus.unvalidated-prefix", v, PREFIX_FIX, builder::unvalidatedPrefix));
        map.from(p::getValidatedPrefix)
                .to(v -> set("pontus.validated-prefix", v, PREFIX_FIX, builder::validatedPrefix));
        map.from(p::isDeleteInvalid).to(builder::deleteInvalid);
        map.from(p::isDeleteUnvalidated).to(builder::deleteUnvalidated);
        map.from(p::isAllowActiveContent).to(builder::allowActiveContent);
        map.from(p::isCorrectContentType).to(builder::correctContentType);
        map.from(p::getMultipartCopyThreshold)
                .to(v -> set(
                        "pontus.multipart-copy-threshold",
                        v,
                        "Set a size up to 5GB, the most one CopyObject copies.",
                        s -> builder.multipartCopy(s.toBytes(), UploadPromoter.DEFAULT_MULTIPART_COPY_PART_SIZE)));
        map.from(p::getAcl).whenHasText().as(PontusRules::acl).to(builder::acl);
    }

    /** How much of each file is read and scanned, and how long that may take. */
    private void applyReading(UploadPromoter.Builder builder) {
        PontusProperties p = properties;
        PropertyMapper map = PropertyMapper.get();
        map.from(p::getHeadSize)
                .to(v -> set("pontus.head-size", v, "Set a size such as 64KB.", s -> builder.headBytes(intBytes(s))));
        map.from(p::getTailSize)
                .to(v -> set(
                        "pontus.tail-size", v, "Set a size such as 64KB, or 0B.", s -> builder.tailBytes(intBytes(s))));
        map.from(p::getS3CallTimeout)
                .to(v -> set(
                        "pontus.s3-call-timeout", v, "Set a positive duration, such as 10s.", builder::callTimeout));
        map.from(p::getValidationTimeout)
                .to(v -> set(
                        "pontus.validation-timeout",
                        v,
                        "Set a positive duration, such as 25s.",
                        builder::operationTimeout));
        map.from(p::getFullScanMaxSize)
                .to(v -> set(
                        "pontus.full-scan-max-size",
                        v,
                        "Set a size such as 100MB.",
                        s -> builder.fullScan(p.getScan() == PontusProperties.Scan.FULL ? s.toBytes() : 0)));
    }

    private static final String PREFIX_FIX = "Set a key prefix such as 'unvalidated/' or 'files/'.";

    /** Size, types, markup, dimensions: cheap and decisive first, as the README states. */
    private static List<Validator> builtIns(PontusProperties p) {
        List<Validator> rules = new ArrayList<>();
        rules.add(fileSize(p.getMinFileSize(), p.getMaxFileSize()));
        typeList("pontus.allowed-content-types", p.getAllowedContentTypes(), Validators::allowTypes)
                .ifPresent(rules::add);
        typeList("pontus.denied-content-types", p.getDeniedContentTypes(), Validators::denyTypes)
                .ifPresent(rules::add);
        rules.add(Validators.noEmbeddedMarkup());
        rules.add(Settings.apply(
                "pontus.max-image-pixels",
                p.getMaxImagePixels(),
                "Set a positive number of pixels, such as 50000000.",
                () -> {
                    ImageDimensions.Builder dimensions =
                            Validators.imageDimensions().maxPixels(p.getMaxImagePixels());
                    return (p.isRequireImageDimensions() ? dimensions.requireReadable() : dimensions).build();
                }));
        return rules;
    }

    /** The rule for a list of MIME types, when the list is set. */
    private static Optional<Validator> typeList(
            String property, List<String> types, Function<String[], Validator> rule) {
        if (types == null || types.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Settings.apply(
                property,
                types,
                "List MIME types or wildcards, such as image/*,application/pdf.",
                () -> rule.apply(types.toArray(String[]::new))));
    }

    /** Each bound checked on its own first, so that a bad value is reported against its own property. */
    private static Validator fileSize(DataSize min, DataSize max) {
        if (max == null || max.isNegative()) {
            throw Settings.invalid(
                    "pontus.max-file-size",
                    Settings.size(max),
                    "It must not be negative: set the largest file accepted, such as 20MB.");
        }
        if (min == null || min.isNegative()) {
            throw Settings.invalid(
                    "pontus.min-file-size",
                    Settings.size(min),
                    "It must not be negative: set the smallest file accepted, such as 1B.");
        }
        if (min.toBytes() > max.toBytes()) {
            throw Settings.invalid(
                    "pontus.min-file-size",
                    Settings.size(min),
                    "It is larger than pontus.max-file-size (" + Settings.size(max)
                            + "): lower it, such as to 1B, or raise pontus.max-file-size.");
        }
        return Validators.fileSize(min.toBytes(), max.toBytes());
    }

    private static ObjectCannedACL acl(String value) {
        ObjectCannedACL acl = ObjectCannedACL.fromValue(value);
        if (acl == ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
            throw Settings.invalid(
                    "pontus.acl",
                    value,
                    "It is not a canned ACL: set one of " + ObjectCannedACL.knownValues()
                            + ", or remove it to keep the bucket's setting.");
        }
        return acl;
    }

    /** A size the core takes as an int; larger ones are out of its range anyway, so they saturate. */
    private static int intBytes(DataSize size) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, size.toBytes()));
    }

    private static <T> void set(String property, T value, String fix, java.util.function.Consumer<T> setter) {
        Settings.apply(property, value instanceof DataSize size ? Settings.size(size) : value, fix, () -> {
            setter.accept(value);
            return null;
        });
    }
}

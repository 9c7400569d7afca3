package dev.pontus.cli;

import dev.pontus.spring.PontusProperties;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Validators;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** INTERIM until PontusRules (branch wip-starter) is merged: then this class goes and PontusRules is called. */
final class Rules {
    private Rules() {}

    static void apply(PontusProperties p, UploadPromoter.Builder builder) {
        List<Validator> rules = new ArrayList<>();
        long min = p.getMinFileSize().toBytes();
        long max = p.getMaxFileSize().toBytes();
        if (min > max) {
            throw new InvalidConfigurationPropertyValueException(
                    "pontus.min-file-size", p.getMinFileSize(), "It is larger than pontus.max-file-size.");
        }
        rules.add(Validators.fileSize(min, max));
        if (!p.getAllowedContentTypes().isEmpty()) {
            rules.add(Validators.allowTypes(p.getAllowedContentTypes().toArray(String[]::new)));
        }
        rules.add(Validators.noEmbeddedMarkup());
        rules.add(Validators.imageDimensions().maxPixels(p.getMaxImagePixels()).build());
        builder.validators(rules)
                .allowActiveContent(p.isAllowActiveContent())
                .callTimeout(p.getS3CallTimeout())
                .operationTimeout(p.getValidationTimeout())
                .fullScan(
                        p.getScan() == PontusProperties.Scan.FULL
                                ? p.getFullScanMaxSize().toBytes()
                                : 0);
    }
}

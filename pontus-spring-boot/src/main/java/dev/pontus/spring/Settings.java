package dev.pontus.spring;

import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Applies {@code pontus.*} values to the core builders, whose checks are the only ones: a value they refuse fails
 * start-up with Boot's "Invalid value '…' for configuration property '…'" report, which names the file the value
 * came from, and a reason that says the fix.
 */
final class Settings {
    private Settings() {}

    /** Runs {@code apply}; when the core refuses the value, reports it as {@code property}'s, with {@code fix}. */
    static <T> T apply(String property, Object value, String fix, Supplier<T> apply) {
        try {
            return apply.get();
        } catch (IllegalArgumentException e) {
            throw invalid(property, value, e.getMessage() + ". " + fix);
        }
    }

    /** A size as a user writes it: in the largest unit it is a whole number of (-1MB, not -1048576B). */
    static String size(DataSize size) {
        if (size == null) {
            return null;
        }
        long bytes = size.toBytes();
        String[] units = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(property, value, reason);
    }
}

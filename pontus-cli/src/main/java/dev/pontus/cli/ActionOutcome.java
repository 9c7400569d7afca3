package dev.pontus.cli;

import static java.util.Objects.requireNonNull;

/**
 * What an action did to a finding.
 *
 * @param action {@code quarantine}, {@code delete} or {@code tag}; empty when none was asked for
 * @param status what came of it
 * @param detail for people: where it went, or why it was left alone
 */
record ActionOutcome(String action, Status status, String detail) {
    static final ActionOutcome NONE = new ActionOutcome("", Status.NONE, "");

    ActionOutcome {
        requireNonNull(action, "action");
        requireNonNull(status, "status");
        requireNonNull(detail, "detail");
    }

    /** What came of an action. */
    enum Status {
        /** No action was asked for. */
        NONE("-"),
        /** Done. */
        DONE("done"),
        /** {@code --dry-run}: what would be done. */
        DRY_RUN("dry-run"),
        /** The object changed or went after it was checked: left alone. */
        CHANGED("changed"),
        /** The store refused or failed; the object is as it was, unless the detail says otherwise. */
        FAILED("failed");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }
}

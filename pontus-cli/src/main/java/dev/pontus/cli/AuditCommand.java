package dev.pontus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code pontus audit s3://BUCKET/PREFIX}: checks every object already stored with the validation rules, two ranged
 * reads per object whatever its size; reports what is wrong and, only when asked, acts on it.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = PontusCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Checks every object under s3://BUCKET/PREFIX with the same rules as upload validation (size, types"
                    + " sniffed from the content, active content, markup and PDF actions, image dimensions) and"
                    + " reports each one that breaks them, or whose declared Content-Type is not what it is. Reads"
                    + " the first and last 64 KiB of each object, whatever its size. Changes nothing unless asked.",
            ""
        },
        footer = {
            "",
            "Exit status: 0 no findings, 1 findings, 2 could not run.",
            "Findings go to stdout (or --output); progress and the summary to stderr."
        })
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "s3://BUCKET/PREFIX",
            converter = TargetConverter.class,
            description = "What to audit: a bucket, or the keys under a prefix of it.")
    Target target;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), jsonl or csv.")
    Report.Format format = Report.Format.TABLE;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the findings to FILE instead of stdout.")
    Path output;

    @Option(names = "--no-header", description = "No header row (table, csv): for reports that are concatenated.")
    boolean noHeader;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            description = "auto (default: a bar on a terminal, else a line every 5 s), bar, lines or none.")
    Progress.Mode progress = Progress.Mode.AUTO;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Objects checked at once (default 16; S3 serves thousands of reads per second per prefix).")
    int concurrency = 16;

    @Option(names = "--page-size", paramLabel = "N", description = "Keys per listing request, 1..1000 (default 1000).")
    int pageSize = 1000;

    @Option(
            names = "--start-after",
            paramLabel = "KEY",
            description = "Begin after this key (in S3's order): resume an audit where it stopped.")
    String startAfter;

    @Option(
            names = "--include",
            paramLabel = "GLOB",
            description = "Check only keys matching a glob (repeatable): '*.jpg' matches file names, 'a/**' keys.")
    List<String> includes = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip keys matching a glob (repeatable).")
    List<String> excludes = List.of();

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            converter = ShardConverter.class,
            description = "Check only share I (from 0) of N, by a stable hash of the key, so that N machines audit"
                    + " one bucket together.")
    Shard shard = Shard.ALL;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Actions actions = new Actions();

    @Option(
            names = "--tag-key",
            paramLabel = "NAME",
            description = "The tag --tag sets, its value the finding codes (default pontus-finding).")
    String tagKey = "pontus-finding";

    @Option(names = "--dry-run", description = "Say what --quarantine, --delete or --tag would do; change nothing.")
    boolean dryRun;

    private final Consumer<S3ClientBuilder> customizer;

    AuditCommand(Consumer<S3ClientBuilder> customizer) {
        this.customizer = customizer;
    }

    /** At most one action; each only on findings, and only if the object is still the one checked. */
    static final class Actions {
        @Option(
                names = "--quarantine",
                paramLabel = "PREFIX",
                description = "Move each finding to PREFIX + its key (copy, then delete).")
        String quarantine;

        @Option(names = "--delete", description = "Delete each finding.")
        boolean delete;

        @Option(names = "--tag", description = "Tag each finding (see --tag-key).")
        boolean tag;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        checkOptions();
        PrintWriter err = spec.commandLine().getErr();
        ReadCounter reads = new ReadCounter();
        try (S3Client s3 = store.client(concurrency + 4, reads, customizer)) {
            var promoter = rules.promoter(s3, target.bucket());
            Stats stats = new Stats(reads);
            try (Report report = report();
                    Progress shown = new Progress(progress, err, stats)) {
                Audit audit = new Audit(
                        s3,
                        target,
                        promoter,
                        new KeyFilter(includes, excludes, shard, quarantinePrefix()),
                        action(s3),
                        report,
                        stats,
                        concurrency,
                        pageSize,
                        startAfter);
                runWithResumeHint(audit, err);
                report.complete();
            }
            summary(stats, err);
            return stats.findings.sum() > 0 ? 1 : 0;
        }
    }

    /** An interrupted run (Ctrl-C, a batch job's stop) says where to resume. */
    private void runWithResumeHint(Audit audit, PrintWriter err) throws InterruptedException {
        Thread hint = new Thread(() -> {
            String at = audit.resume().safePoint();
            err.println("\npontus: interrupted"
                    + (at == null ? "" : "; resume with --start-after '" + Text.printable(at) + "'"));
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            audit.run();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hint);
        }
    }

    private void checkOptions() {
        if (concurrency < 1 || concurrency > 512) {
            throw new CliException("--concurrency: " + concurrency + " is outside 1..512; 16 (the default) suits S3");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new CliException("--page-size: " + pageSize + " is outside 1..1000, what S3 lists at once");
        }
        if (actions.quarantine != null && actions.quarantine.isBlank()) {
            throw new CliException("--quarantine: give a key prefix, such as quarantine/");
        }
        String quarantine = quarantinePrefix();
        if (quarantine != null && target.prefix().startsWith(quarantine)) {
            throw new CliException("--quarantine: the audited prefix '" + target.prefix() + "' is inside the"
                    + " quarantine prefix '" + quarantine + "'; give a quarantine prefix outside it");
        }
        if (actions.tag && !tagKey.matches("[\\p{L}\\p{N} _.:/=+@-]{1,128}")) {
            throw new CliException("--tag-key: '" + Text.printable(tagKey) + "' is not an S3 tag key; use up to 128"
                    + " letters, digits, spaces and _.:/=+-@");
        }
    }

    /** The quarantine prefix, ending in '/' (added when missing), or null. */
    private String quarantinePrefix() {
        String q = actions.quarantine;
        return q == null ? null : q.endsWith("/") ? q : q + "/";
    }

    private Action action(S3Client s3) {
        if (actions.quarantine != null) {
            return Action.quarantine(s3, target.bucket(), quarantinePrefix(), dryRun);
        }
        if (actions.delete) {
            return Action.delete(s3, target.bucket(), dryRun);
        }
        if (actions.tag) {
            return Action.tag(s3, target.bucket(), tagKey, dryRun);
        }
        return Action.NONE;
    }

    private Report report() throws IOException {
        if (output == null) {
            return Report.of(format, spec.commandLine().getOut(), false, !noHeader);
        }
        try {
            return Report.of(
                    format, new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8)), true, !noHeader);
        } catch (IOException e) {
            throw new CliException("--output: cannot write '" + output + "': " + e.getMessage());
        }
    }

    private void summary(Stats s, PrintWriter err) {
        long checked = s.checked.sum();
        err.printf(
                Locale.ROOT,
                "pontus: audited %s: %,d objects in %.1f s (%.0f objects/s), %s read (%,d bytes per object)%n",
                target,
                checked,
                s.seconds(),
                s.rate(),
                Sizes.human(s.reads.bytes()),
                checked == 0 ? 0 : s.reads.bytes() / checked);
        String codes = s.byCode().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        err.printf(
                Locale.ROOT,
                "pontus: %,d objects with findings%s%n",
                s.findings.sum(),
                codes.isEmpty() ? "" : ": " + codes);
        err.printf(
                Locale.ROOT,
                "pontus: %,d listed, %,d skipped (folders, --include/--exclude, other shards), %,d gone before their"
                        + " check, %,d throttled checks retried%n",
                s.listed.sum(),
                s.skipped.sum(),
                s.vanished.sum(),
                s.retried.sum());
        err.flush();
    }

    static final class TargetConverter implements ITypeConverter<Target> {
        @Override
        public Target convert(String value) {
            try {
                return Target.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ShardConverter implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage().replaceFirst("^--shard: ", ""));
            }
        }
    }
}

package dev.pontus.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which listed keys an audit checks: those matching an {@code --include} glob (if any is given), none of the
 * {@code --exclude} globs, in this machine's {@link Shard}, and not under the quarantine prefix (where the audit
 * itself moves findings).
 *
 * <p>Globs: {@code *} is any run of characters within one path segment, {@code **} any run across segments,
 * {@code ?} one character but {@code /}, {@code {a,b}} either. A glob without {@code /} is matched against the key's
 * last segment (the file name), as in {@code .gitignore}; one with {@code /} against the whole key.
 */
final class KeyFilter {
    private final List<Glob> includes;
    private final List<Glob> excludes;
    private final Shard shard;
    private final String quarantinePrefix;

    KeyFilter(List<String> includes, List<String> excludes, Shard shard, String quarantinePrefix) {
        this.includes = includes.stream().map(Glob::of).toList();
        this.excludes = excludes.stream().map(Glob::of).toList();
        this.shard = shard;
        this.quarantinePrefix = quarantinePrefix;
    }

    boolean accepts(String key) {
        if (quarantinePrefix != null && key.startsWith(quarantinePrefix)) {
            return false;
        }
        if (!includes.isEmpty() && includes.stream().noneMatch(g -> g.matches(key))) {
            return false;
        }
        return excludes.stream().noneMatch(g -> g.matches(key)) && shard.contains(key);
    }

    /** A glob as a regex, and whether it is matched against the whole key or the file name. */
    record Glob(Pattern regex, boolean wholeKey) {
        static Glob of(String glob) {
            return new Glob(KeyFilter.regex(glob), glob.contains("/"));
        }

        boolean matches(String key) {
            return regex.matcher(wholeKey ? key : key.substring(key.lastIndexOf('/') + 1))
                    .matches();
        }
    }

    private static Pattern regex(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException(
                    "--include/--exclude: a glob is empty; give one such as '*.jpg' or" + " 'thumbs/**'");
        }
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '{') {
                braces++;
                regex.append("(?:");
            } else if (c == '}' && braces > 0) {
                braces--;
                regex.append(')');
            } else if (c == ',' && braces > 0) {
                regex.append('|');
            } else if (c == '/') {
                regex.append('/');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces != 0) {
            throw new IllegalArgumentException("--include/--exclude: '" + glob + "' opens a '{' it does not close");
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}

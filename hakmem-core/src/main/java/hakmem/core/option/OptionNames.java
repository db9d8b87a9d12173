package hakmem.core.option;

import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OptionSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Misspelled option names. A system property {@code hakmem.*} or an environment variable {@code HAKMEM_*} that names
 * no option is reported with the closest option name, so {@code -Dhakmem.ss.mem.lean.dealy.ms=5} is not silently
 * ignored. Some names under those prefixes are not options and are never reported: the launcher's variables
 * ({@link #RESERVED_NAMES}) and the namespaces of the test suite and the bench ({@link #RESERVED_PREFIXES}).
 */
public final class OptionNames {

    /** Names (option form) that belong to the launcher: {@code HAKMEM_JAVA_OPTS}, {@code HAKMEM_JVM_DIRS}, {@code HAKMEM_PLUGIN_PATH}. */
    public static final Set<String> RESERVED_NAMES = Set.of("java.opts", "jvm.dirs", "plugin.path");

    /**
     * Namespaces (option form) that are not options: {@code hakmem.reliability.*} (the reliability suite's knobs,
     * docs/reliability.md) and {@code hakmem.bench.*} (the bench's own settings). No option may be declared in them.
     */
    public static final List<String> RESERVED_PREFIXES = List.of("reliability.", "bench.");

    private static final String PROPERTY_PREFIX = "hakmem.";
    private static final String ENV_PREFIX = "HAKMEM_";

    private OptionNames() {
    }

    /** True if {@code name} (option form, e.g. {@code java.opts}) is not an option by the rules above. */
    public static boolean reserved(String name) {
        return RESERVED_NAMES.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * One warning per {@code hakmem.*} property and {@code HAKMEM_*} variable of {@code source} that names none of
     * {@code specs} (nor a legacy variable of one, nor a reserved name), properties first, each sorted by name, e.g.
     * {@code unknown option -Dhakmem.ss.mem.lean.dealy.ms; did you mean ss.mem.lean.delay.ms?}.
     */
    public static List<String> unknown(OptionSource source, Collection<OptionSpec> specs) {
        Set<String> properties = new HashSet<>();
        Set<String> envs = new HashSet<>();
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec s : specs) {
            properties.add(s.property());
            envs.add(s.env());
            if (!s.legacyEnv().isEmpty()) {
                envs.add(s.legacyEnv());
            }
            byName.put(s.name(), s);
        }
        List<String> names = List.copyOf(byName.keySet());
        List<String> out = new ArrayList<>();
        source.propertyNames().stream().filter(p -> p.startsWith(PROPERTY_PREFIX) && !properties.contains(p)).sorted()
                .forEach(p -> {
                    String name = p.substring(PROPERTY_PREFIX.length());
                    if (!reserved(name)) {
                        String c = closest(name, names);
                        out.add(message("-D" + p, c));
                    }
                });
        source.envNames().stream().filter(e -> e.startsWith(ENV_PREFIX) && !envs.contains(e)).sorted()
                .forEach(e -> {
                    String name = e.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    if (!reserved(name)) {
                        String c = closest(name, names);
                        out.add(message(e, c == null ? null : c + " (" + byName.get(c).env() + ")"));
                    }
                });
        return out;
    }

    private static String message(String given, String hint) {
        return "unknown option " + given + (hint == null ? "; no option has a similar name" : "; did you mean " + hint + "?");
    }

    /**
     * The name of {@code names} closest to {@code name} (compared in lower case) by edit distance, counting a swap
     * of two neighbours as one edit; null if even the closest needs more than {@code max(2, length / 3)} edits.
     * Ties go to the first in {@code names}.
     */
    public static String closest(String name, List<String> names) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = distance(lower, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, lower.length() / 3) ? best : null;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost one each. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}

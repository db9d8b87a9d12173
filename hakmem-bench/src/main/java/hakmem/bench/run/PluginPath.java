package hakmem.bench.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plugin path: jars and directories of policy modules given with {@code ./hakmem --plugin-path A:B} or
 * {@code HAKMEM_PLUGIN_PATH}. The launcher puts them on the CLI's module path and exports the variable; the CLI
 * checks that they are on its module path (so that {@code list} and the forked runs see the same policies), and
 * {@link Forker} puts them on every child's module path.
 */
public final class PluginPath {

    /** The environment variable that carries the plugin path (entries separated by {@code :}). */
    public static final String ENV = "HAKMEM_PLUGIN_PATH";

    private PluginPath() {
    }

    /** The entries of a plugin path, absolute and normalized, blanks dropped, duplicates once. */
    public static List<Path> parse(String value) {
        Set<Path> out = new LinkedHashSet<>();
        if (value != null) {
            for (String e : value.split(File.pathSeparator)) {
                if (!e.isBlank()) {
                    out.add(Path.of(e.strip()).toAbsolutePath().normalize());
                }
            }
        }
        return List.copyOf(out);
    }

    /** The plugin path of this process ({@value #ENV}). */
    public static List<Path> fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /**
     * What is wrong with a plugin path for a JVM whose module path is {@code modulePath}: entries that do not exist,
     * and entries that are not on the module path. Empty if nothing is.
     */
    public static List<String> problems(List<Path> plugins, String modulePath) {
        List<Path> onPath = parse(modulePath);
        List<String> out = new ArrayList<>();
        for (Path p : plugins) {
            if (!Files.exists(p)) {
                out.add(ENV + " entry " + p + " does not exist");
            } else if (!onPath.contains(p)) {
                out.add(ENV + " entry " + p + " is not on this JVM's module path: start the CLI with ./hakmem "
                        + "--plugin-path (it puts the entries on the module path), or add it to java -p yourself");
            }
        }
        return out;
    }

    /** A child's module path: {@code parent} followed by the plugin entries it does not hold yet. */
    public static String childModulePath(String parent, List<Path> plugins) {
        List<Path> have = parse(parent);
        StringBuilder out = new StringBuilder(parent);
        for (Path p : plugins) {
            if (!have.contains(p)) {
                out.append(File.pathSeparator).append(p);
            }
        }
        return out.toString();
    }
}

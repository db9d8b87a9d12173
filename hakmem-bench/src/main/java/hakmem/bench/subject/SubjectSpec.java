package hakmem.bench.subject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subject as given on the command line: a peer id, a policy id, or a policy id with inline options, which makes
 * a subject of its own (a sweep point): {@code id@name=value[@name=value...]}, e.g.
 * {@code lean@ss.mem.lean.delay.ms=100@lean.keep.slabs=2}. The options go to {@code Hakmem.open(id, options)} of
 * that subject only, so they beat {@code -Dhakmem.*} and {@code HAKMEM_*}. The label (the text as given, which
 * tables, charts and files show) identifies the subject.
 *
 * @param label   the spec as written, e.g. {@code lean@ss.mem.lean.delay.ms=100}
 * @param id      the policy or peer id, e.g. {@code lean}
 * @param options option name to value, in the order given (empty for a plain id)
 */
public record SubjectSpec(String label, String id, Map<String, String> options) {
    /** Separates the id from the first option and each option from the next. */
    public static final char SEPARATOR = '@';

    public SubjectSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses {@code id[@name=value...]}; {@link IllegalArgumentException} naming what is wrong. */
    public static SubjectSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty subject");
        }
        String spec = text.strip();
        String[] parts = spec.split(String.valueOf(SEPARATOR), -1);
        String id = parts[0];
        if (id.isEmpty()) {
            throw new IllegalArgumentException("subject '" + spec + "': no policy id before '" + SEPARATOR + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("subject '" + spec + "': option '" + part
                        + "' has no '=' (write " + id + SEPARATOR + "name=value" + SEPARATOR + "name=value)");
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("subject '" + spec + "': option '" + part + "' has no name");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("subject '" + spec + "': option '" + name + "' has no value");
            }
            if (options.put(name, value) != null) {
                throw new IllegalArgumentException("subject '" + spec + "': option '" + name + "' is given twice");
            }
        }
        if (!options.isEmpty() && Subjects.isPeer(id)) {
            throw new IllegalArgumentException("subject '" + spec + "': " + id + " is a peer; only hakmem policies take options");
        }
        return new SubjectSpec(spec, id, options);
    }

    public boolean isPeer() {
        return Subjects.isPeer(id);
    }

    /** A label safe in a file name (logs): characters other than letters, digits, '.', '_' and '-' become '_'. */
    public String fileLabel() {
        return label.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

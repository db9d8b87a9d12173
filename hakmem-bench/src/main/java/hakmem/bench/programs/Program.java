package hakmem.bench.programs;

import hakmem.api.Allocator;
import java.util.List;

/**
 * A real program that runs on a hakmem allocator, for {@code ./hakmem record}: what it does is its own business; it
 * allocates only through the allocator it is given (and the JVM's heap), and frees what it allocated before it returns.
 */
public interface Program {
    String id();

    String description();

    /** Runs for about {@code seconds}; returns one line on what it did (requests served, bytes moved...). */
    String run(Allocator heap, int seconds, long seed) throws Exception;

    static List<Program> all() {
        return List.of(new NettyHttp(), new OffHeapCache());
    }

    static Program byId(String id) {
        for (Program p : all()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("program '" + id + "' not found; programs: " + all().stream().map(Program::id).toList());
    }
}

package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;

/** Subjects for tests: a real one (libc through FFM) and broken ones that a workload must catch. */
final class TestSubjects {
    private TestSubjects() {
    }

    static Subject real(Workload w, Params p) {
        return Subjects.create("ffm-malloc", w.maxLive(p), w.crossThreadFrees(p));
    }

    /** Hands out every block twice: the second caller of a block overwrites the first caller's tags. */
    static Subject doubleHanding() {
        return new Subject() {
            private final Subject inner = Subjects.create("ffm-malloc", 1, false);
            private long pending;
            private int calls;

            @Override
            public String id() {
                return "double-handing";
            }

            @Override
            public String kind() {
                return "peer";
            }

            @Override
            public synchronized long malloc(long size) {
                if (calls++ % 2 == 1 && pending != 0) {
                    return pending; // the previous block again
                }
                pending = inner.malloc(1024);
                return pending;
            }

            @Override
            public void free(long handle) {
                // leak on purpose: freeing a block handed out twice would corrupt libc
            }
        };
    }
}

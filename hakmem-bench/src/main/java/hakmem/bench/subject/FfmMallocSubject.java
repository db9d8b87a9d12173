package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/** glibc malloc/free (the JVM's C library) through FFM downcalls with {@code critical(false)}; the handles are static finals (see {@link FfmSubject}). */
final class FfmMallocSubject extends FfmSubject {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] h = NativeLibs.bind(null);
        MALLOC = h[0];
        FREE = h[1];
    }

    FfmMallocSubject() {
        super("glibc malloc/free (the JVM's C library) via FFM critical(false)");
    }

    @Override
    public String id() {
        return "ffm-malloc";
    }

    @Override
    public long malloc(long size) {
        return malloc(MALLOC, size);
    }

    @Override
    public void free(long handle) {
        free(FREE, handle);
    }
}

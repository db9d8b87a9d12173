package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/** jemalloc (libjemalloc.so.2) through FFM downcalls with {@code critical(false)}; the handles are static finals (see {@link FfmSubject}). */
final class FfmJemallocSubject extends FfmSubject {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] h = NativeLibs.bind("libjemalloc.so.2");
        MALLOC = h[0];
        FREE = h[1];
    }

    FfmJemallocSubject() {
        super("jemalloc (libjemalloc.so.2) via FFM critical(false)");
    }

    @Override
    public String id() {
        return "ffm-jemalloc";
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

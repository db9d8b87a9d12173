package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/** mimalloc (libmimalloc.so.2) through FFM downcalls with {@code critical(false)}; the handles are static finals (see {@link FfmSubject}). */
final class FfmMimallocSubject extends FfmSubject {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] h = NativeLibs.bind("libmimalloc.so.2");
        MALLOC = h[0];
        FREE = h[1];
    }

    FfmMimallocSubject() {
        super("mimalloc (libmimalloc.so.2) via FFM critical(false)");
    }

    @Override
    public String id() {
        return "ffm-mimalloc";
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

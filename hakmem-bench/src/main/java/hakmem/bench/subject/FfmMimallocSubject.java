package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/** mimalloc (libmimalloc.so.2) through FFM downcalls with {@code critical(false)}. Handles live in static finals so they inline. */
final class FfmMimallocSubject extends Subject {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] h = NativeLibs.bind("libmimalloc.so.2");
        MALLOC = h[0];
        FREE = h[1];
    }

    @Override
    public String id() {
        return "ffm-mimalloc";
    }

    @Override
    public String kind() {
        return "peer";
    }

    @Override
    public long malloc(long size) {
        try {
            return (long) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw NativeLibs.rethrow(t);
        }
    }

    @Override
    public void free(long handle) {
        try {
            FREE.invokeExact(handle);
        } catch (Throwable t) {
            throw NativeLibs.rethrow(t);
        }
    }

    @Override
    public String detail() {
        return "mimalloc (libmimalloc.so.2) via FFM critical(false)";
    }
}

package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/** glibc malloc/free (the JVM's C library) through FFM downcalls with {@code critical(false)}. Handles live in static finals so they inline. */
final class FfmMallocSubject extends Subject {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] h = NativeLibs.bind(null);
        MALLOC = h[0];
        FREE = h[1];
    }

    @Override
    public String id() {
        return "ffm-malloc";
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
        return "glibc malloc/free (the JVM's C library) via FFM critical(false)";
    }
}

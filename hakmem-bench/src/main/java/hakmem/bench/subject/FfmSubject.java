package hakmem.bench.subject;

import java.lang.invoke.MethodHandle;

/**
 * A C allocator's {@code malloc}/{@code free} through FFM downcalls with {@code critical(false)}: the logic the
 * three native peers share. Each subclass keeps its two handles in its own {@code static final} fields and
 * passes them to {@link #malloc(MethodHandle, long)} and {@link #free(MethodHandle, long)}; once those small
 * static methods are inlined the handle is a constant, so the JIT folds the downcall as if it were written in
 * place (a handle in an instance field would not be a constant).
 */
abstract class FfmSubject extends Subject {
    private final String detail;

    FfmSubject(String detail) {
        this.detail = detail;
    }

    @Override
    public final String kind() {
        return "peer";
    }

    @Override
    public final String detail() {
        return detail;
    }

    static long malloc(MethodHandle malloc, long size) {
        try {
            return (long) malloc.invokeExact(size);
        } catch (Throwable t) {
            throw NativeLibs.rethrow(t);
        }
    }

    static void free(MethodHandle free, long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable t) {
            throw NativeLibs.rethrow(t);
        }
    }
}

package hakmem.bench.subject;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/** {@code sun.misc.Unsafe.allocateMemory/freeMemory} (the JDK's malloc wrapper), instance found by reflection. */
@SuppressWarnings("removal")
final class UnsafeSubject extends Subject {
    private static final Unsafe U = find();

    private static Unsafe find() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Unsafe is not reachable: " + e, e);
        }
    }

    @Override
    public String id() {
        return "unsafe";
    }

    @Override
    public String kind() {
        return "peer";
    }

    @Override
    public long malloc(long size) {
        return U.allocateMemory(size);
    }

    @Override
    public void free(long handle) {
        U.freeMemory(handle);
    }

    @Override
    public String detail() {
        return "sun.misc.Unsafe allocateMemory/freeMemory";
    }
}

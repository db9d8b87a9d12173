package hakmem.bench.subject;

/**
 * Maps handles to the objects of subjects that do not hand out raw addresses (Netty buffers, arenas). The
 * capacity is the workload's bound on live blocks; indices are recycled through a lock-free stack, so blocks may
 * be freed from any thread.
 */
final class HandleTable<T> {
    private final Object[] objects;
    private final long[] addresses;
    private final IndexStack free;

    HandleTable(int capacity) {
        objects = new Object[capacity + 1];
        addresses = new long[capacity + 1];
        free = new IndexStack(capacity);
    }

    long put(T object, long address) {
        int i = free.pop();
        if (i == 0) {
            throw new IllegalStateException("handle table full: " + (objects.length - 1)
                    + " live blocks (raise the workload's live-block bound)");
        }
        objects[i] = object;
        addresses[i] = address;
        return i;
    }

    @SuppressWarnings("unchecked")
    T take(long handle) {
        int i = (int) handle;
        T o = (T) objects[i];
        objects[i] = null;
        free.push(i);
        return o;
    }

    long address(long handle) {
        return addresses[(int) handle];
    }
}

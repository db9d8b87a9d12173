package hakmem.bench.subject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free stack of free indices 1..capacity (a Treiber stack over an int array). The head carries a 32-bit
 * version next to the index so that a pop racing with pop-push of the same index fails its CAS (no ABA).
 * Used by {@link HandleTable} so that blocks can be freed from any thread.
 */
final class IndexStack {
    private final int[] next;
    /** version << 32 | top index (0: empty). */
    private final AtomicLong head = new AtomicLong();

    IndexStack(int capacity) {
        next = new int[capacity + 1];
        for (int i = 1; i < capacity; i++) {
            next[i] = i + 1;
        }
        next[capacity] = 0;
        head.set(capacity > 0 ? 1 : 0);
    }

    /** An index, or 0 if none is left. */
    int pop() {
        while (true) {
            long h = head.get();
            int top = (int) h;
            if (top == 0) {
                return 0;
            }
            long nh = ((h >>> 32) + 1) << 32 | (next[top] & 0xFFFFFFFFL);
            if (head.compareAndSet(h, nh)) {
                return top;
            }
        }
    }

    void push(int index) {
        while (true) {
            long h = head.get();
            next[index] = (int) h;
            long nh = ((h >>> 32) + 1) << 32 | (index & 0xFFFFFFFFL);
            if (head.compareAndSet(h, nh)) {
                return;
            }
        }
    }
}

package hakmem.core.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields of a slab (or a heap) that other threads write, on a cache line of their own: a remote free CASes
 * {@link #head} (the slab's remote list) and links the slab into its owner's queue ({@link #nextQueued},
 * {@link #queue}); kept in the slab or heap object they would share a line with the fields the owner's malloc and
 * free read and write on every call. HotSpot lays out a superclass's fields before a subclass's, so the padding
 * classes put at least 60 bytes of longs before these fields and 56 after (the first padding class has an int to
 * fill the 4-byte gap after the object header, which a subclass field could otherwise take).
 */
final class RemoteLine extends RemoteLineFields {
    @SuppressWarnings("unused")
    private long q01;
    @SuppressWarnings("unused")
    private long q02;
    @SuppressWarnings("unused")
    private long q03;
    @SuppressWarnings("unused")
    private long q04;
    @SuppressWarnings("unused")
    private long q05;
    @SuppressWarnings("unused")
    private long q06;
    @SuppressWarnings("unused")
    private long q07;

    static final VarHandle HEAD;
    static final VarHandle QUEUE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RemoteLineFields.class, "head", int.class);
            QUEUE = l.findVarHandle(RemoteLineFields.class, "queue", Slab.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** The padding before the fields (see {@link RemoteLine}). */
abstract class RemoteLinePad {
    @SuppressWarnings("unused")
    private int p00;
    @SuppressWarnings("unused")
    private long p01;
    @SuppressWarnings("unused")
    private long p02;
    @SuppressWarnings("unused")
    private long p03;
    @SuppressWarnings("unused")
    private long p04;
    @SuppressWarnings("unused")
    private long p05;
    @SuppressWarnings("unused")
    private long p06;
    @SuppressWarnings("unused")
    private long p07;
}

/** The fields written by other threads (see {@link RemoteLine}). */
abstract class RemoteLineFields extends RemoteLinePad {
    /** A slab's remote list: the index of its first block, -1 when empty (through {@link RemoteLine#HEAD}). */
    volatile int head = -1;
    /** A heap's queue of slabs with pending remote frees (through {@link RemoteLine#QUEUE}). */
    volatile Slab queue;
    /** A slab's link in its owner heap's queue; written by the pusher before it publishes. */
    Slab nextQueued;
}

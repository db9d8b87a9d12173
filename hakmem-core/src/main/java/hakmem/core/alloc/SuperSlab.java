package hakmem.core.alloc;

/** A 2 MiB aligned mapping carved into slabs of one size class: 32 of 64 KiB, or one for a medium class. */
final class SuperSlab {

    final long base;
    final int sizeClass;
    final Slab[] slabs;

    // guarded by the class pool's lock
    int inPool;
    long emptySince;

    SuperSlab(Object allocator, long base, int sizeClass) {
        this.base = base;
        this.sizeClass = sizeClass;
        long slabBytes = SizeClasses.slabBytes(sizeClass);
        this.slabs = new Slab[(int) (SizeClasses.SUPERSLAB_BYTES / slabBytes)];
        for (int i = 0; i < slabs.length; i++) {
            slabs[i] = new Slab(allocator, base + i * slabBytes, sizeClass, this);
        }
    }

    boolean empty() {
        return inPool == slabs.length;
    }
}

package hakmem.core.alloc;

/** A 2 MiB aligned mapping carved into {@link SizeClasses#SLABS_PER_SUPERSLAB} slabs of one size class. */
final class SuperSlab {

    final long base;
    final int sizeClass;
    final Slab[] slabs = new Slab[SizeClasses.SLABS_PER_SUPERSLAB];

    // guarded by the class pool's lock
    int inPool;
    long emptySince;

    SuperSlab(HakmemAllocator allocator, long base, int sizeClass) {
        this.base = base;
        this.sizeClass = sizeClass;
        for (int i = 0; i < slabs.length; i++) {
            slabs[i] = new Slab(allocator, base + ((long) i << SizeClasses.SLAB_SHIFT), sizeClass, this);
        }
    }

    boolean empty() {
        return inPool == slabs.length;
    }
}

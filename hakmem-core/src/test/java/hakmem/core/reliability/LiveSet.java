package hakmem.core.reliability;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model: the blocks the test holds, by address and in allocation order. Adding a block checks that its
 * usable range overlaps no other live block. Thread-safe, so that an {@link AuditingOsBox} may ask it from the
 * allocator's own threads whether an advised range holds a live block.
 */
final class LiveSet implements AuditingOsBox.LiveBlocks {

    /**
     * One live block.
     *
     * @param id        allocation number (stable across reruns of the same sequence, unlike addresses)
     * @param address   its address
     * @param size      the size asked for
     * @param usable    usableSize at allocation
     * @param alignment the alignment it must have
     * @param seed      the seed of the pattern it holds
     * @param segment   the segment when it came from allocate(size, alignment), else null
     */
    record Block(long id, long address, long size, long usable, long alignment, long seed, MemorySegment segment) {
        long end() {
            return address + Math.max(size, usable);
        }

        @Override
        public String toString() {
            return "#" + id + "[" + Reliability.hex(address) + ", size " + size + ", usable " + usable
                    + (segment != null ? ", segment align " + alignment : "") + "]";
        }
    }

    private final TreeMap<Long, Block> byAddress = new TreeMap<>();
    private final List<Block> inOrder = new ArrayList<>();
    private long nextId;
    private long liveBytes;

    synchronized long nextId() {
        return nextId++;
    }

    synchronized void add(Block b) {
        Map.Entry<Long, Block> below = byAddress.floorEntry(b.address());
        if (below != null && below.getValue().end() > b.address()) {
            throw new AssertionError("new block " + b + " overlaps live block " + below.getValue());
        }
        Map.Entry<Long, Block> above = byAddress.ceilingEntry(b.address());
        if (above != null && above.getKey() < b.end()) {
            throw new AssertionError("new block " + b + " overlaps live block " + above.getValue());
        }
        byAddress.put(b.address(), b);
        inOrder.add(b);
        liveBytes += b.size();
    }

    synchronized void remove(Block b) {
        if (byAddress.remove(b.address()) == null) {
            throw new AssertionError("model bug: " + b + " is not live");
        }
        inOrder.remove(b);
        liveBytes -= b.size();
    }

    synchronized Block get(int index) {
        return inOrder.get(index);
    }

    synchronized int size() {
        return inOrder.size();
    }

    synchronized boolean isEmpty() {
        return inOrder.isEmpty();
    }

    synchronized long liveBytes() {
        return liveBytes;
    }

    synchronized List<Block> blocks() {
        return List.copyOf(inOrder);
    }

    synchronized boolean isLiveAddress(long address) {
        return byAddress.containsKey(address);
    }

    /** The live block whose usable range holds {@code address}, or null. */
    synchronized Block containing(long address) {
        Map.Entry<Long, Block> e = byAddress.floorEntry(address);
        return e != null && address < e.getValue().end() ? e.getValue() : null;
    }

    synchronized void clear() {
        byAddress.clear();
        inOrder.clear();
        liveBytes = 0;
    }

    /** A live block whose requested bytes intersect {@code [address, address + length)}, or null. */
    @Override
    public synchronized String liveBlockIn(long address, long length) {
        Long from = byAddress.floorKey(address);
        for (Block b : byAddress.subMap(from == null ? address : from, true, address + length, false).values()) {
            if (b.size() > 0 && b.address() < address + length && b.address() + b.size() > address) {
                return b.toString();
            }
        }
        return null;
    }
}

package hakmem.core.reliability;

import hakmem.api.AllocatorStats;
import hakmem.core.alloc.HakmemAllocator;
import hakmem.core.reliability.AuditingOsBox.Op;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fault-injection side of a single-threaded model run (model check, fuzz harness): it arms faults through the
 * {@link AuditingOsBox} while the model keeps running, checks every {@link OutOfMemoryError}, and after every step
 * checks the contents of every live block, the accounting between the stats and the box, the madvise discipline
 * and the core's invariant audit.
 * <ul>
 *   <li>an OutOfMemoryError is accepted only if the box refused an mmap of this thread during the call; it must name
 *       the request ("N bytes") and ENOMEM, and leave the model (the live blocks) exactly as it was;</li>
 *   <li>{@code mapped_bytes} and {@code mmap_bytes - munmap_bytes} equal what the box holds mapped,
 *       {@code mmap_calls} / {@code madvise_calls} equal the calls the box saw since open, {@code madvise_errors}
 *       equals the madvise failures, {@code decommit_disabled} is 1 exactly when one happened, and once it is 1 no
 *       madvise reaches the box again;</li>
 *   <li>{@code HakmemAllocator.audit()} is empty.</li>
 * </ul>
 * The stats / box comparison and the audit run with the ticker held off ({@link HakmemAllocator#holdingTicker}), so
 * lean with a delay (decommit and retire from the ticker) is checked as strictly as without.
 */
final class FaultModel {

    private final CheckedAllocator ca;
    private final AuditingOsBox box;
    long faultsArmed;
    long oomsChecked;
    long audits;
    long auditNanos;
    long verifyNanos;
    /** The message of the last OutOfMemoryError {@link #guard} accepted. */
    String lastOom;
    private long madviseAtDisable = -1;
    private long opensSeen;

    FaultModel(CheckedAllocator ca) {
        this.ca = ca;
        this.box = ca.box;
        this.opensSeen = ca.opens;
    }

    /** Let {@code skip} mmap calls through, then fail {@code times} with ENOMEM. */
    void armMmap(long skip, long times) {
        box.inject(Op.MMAP, skip, times, NativeOsBox.ENOMEM);
        faultsArmed++;
    }

    /** Let {@code skip} madvise calls through, then fail one with {@code errno} (the first failure disables decommit). */
    void armMadvise(long skip, int errno) {
        box.inject(Op.MADVISE, skip, 1, errno);
        faultsArmed++;
    }

    void heal() {
        box.healAll();
    }

    /**
     * Runs an allocating call that asked for {@code request} bytes. Returns true if it threw an OutOfMemoryError,
     * which is checked: the box refused an mmap of this thread (or the kernel did), the message names the request
     * and ENOMEM, and the live blocks are exactly those before the call, with their contents.
     */
    boolean guard(String call, long request, Runnable r) {
        long injectedBefore = box.injectedInThisThread(Op.MMAP);
        long realBefore = box.realFailures(Op.MMAP);
        Set<Block> liveBefore = new HashSet<>(ca.live.blocks());
        try {
            r.run();
            return false;
        } catch (OutOfMemoryError e) {
            if (box.injectedInThisThread(Op.MMAP) == injectedBefore && box.realFailures(Op.MMAP) == realBefore) {
                throw new AssertionError(call + ": OutOfMemoryError although the OS refused no mmap: " + e, e);
            }
            checkMessage(call, request, e);
            if (!new HashSet<>(ca.live.blocks()).equals(liveBefore)) {
                throw new AssertionError(call + ": the model changed although the call threw " + e, e);
            }
            ca.verifyAll();
            oomsChecked++;
            lastOom = e.getMessage();
            return true;
        }
    }

    static void checkMessage(String call, long request, OutOfMemoryError e) {
        String m = String.valueOf(e.getMessage());
        if (!m.contains("ENOMEM")) {
            throw new AssertionError(call + ": OutOfMemoryError does not name errno ENOMEM: " + m, e);
        }
        if (!Pattern.compile("(?<![0-9])" + request + " bytes").matcher(m).find()) {
            throw new AssertionError(call + ": OutOfMemoryError does not name the request (" + request + " bytes): " + m, e);
        }
    }

    /** After every step: stats, usableSize and edges ({@link CheckedAllocator#checkStep}), contents, accounting, audit. */
    void check(String where) {
        long t0 = System.nanoTime();
        ca.checkStep(where);
        ca.verifyAllSampled(where);
        long t1 = System.nanoTime();
        verifyNanos += t1 - t0;
        HakmemAllocator h = (HakmemAllocator) ca.allocator();
        List<String> problems = h.holdingTicker(() -> {
            List<String> p = new ArrayList<>(h.audit());
            accounting(p);
            return p;
        });
        audits++;
        auditNanos += System.nanoTime() - t1;
        if (!problems.isEmpty()) {
            throw new AssertionError(where + " (policy " + ca.policy + " " + ca.options + "): " + problems);
        }
    }

    private void accounting(List<String> p) {
        if (ca.opens != opensSeen) { // a fresh allocator: decommit is enabled again
            opensSeen = ca.opens;
            madviseAtDisable = -1;
        }
        AllocatorStats s = ca.allocator().stats();
        long boxMapped = box.mappedBytes();
        expect(p, "mapped_bytes", s.count("mapped_bytes").current(), boxMapped);
        expect(p, "mmap_bytes - munmap_bytes", s.counter("mmap_bytes") - s.counter("munmap_bytes"), boxMapped);
        expect(p, "mmap_calls", s.counter("mmap_calls"), box.calls(Op.MMAP) - ca.boxAtOpen[0]);
        expect(p, "madvise_calls", s.counter("madvise_calls"), box.calls(Op.MADVISE) - ca.boxAtOpen[1]);
        long madviseFailures = box.failures(Op.MADVISE) - ca.boxAtOpen[2];
        expect(p, "madvise_errors", s.counter("madvise_errors"), madviseFailures);
        expect(p, "decommit_disabled", s.counter("decommit_disabled"), madviseFailures > 0 ? 1 : 0);
        if (s.counter("decommit_disabled") == 1) {
            long calls = box.calls(Op.MADVISE);
            if (madviseAtDisable < 0) {
                madviseAtDisable = calls;
            } else if (calls != madviseAtDisable) {
                p.add((calls - madviseAtDisable) + " madvise call(s) reached the OS after decommit was disabled");
            }
        }
    }

    private static void expect(List<String> p, String what, long stat, long box) {
        if (stat != box) {
            p.add(what + " reads " + stat + " but the OS box says " + box);
        }
    }
}

package hakmem.bench.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a workload run measured and checked.
 *
 * @param timedOps      operations between {@link Meter#TIMED_START} and {@link Meter#TIMED_END}, all threads
 * @param idleNanos     time inside the timed window spent idling on purpose (burst), not counted for ops/s
 * @param checks        blocks whose contents were verified at free
 * @param rngOk         every thread's generator ended in the state the op count implies
 * @param rngFinal      the final generator state of thread 0
 * @param rngExpected   the state thread 0 had to end in
 * @param liveEndBytes  the sum of the sizes of the blocks held at the end of the timed loop; -1 if the workload does
 *                      not track it
 * @param livePeakBytes the highest such sum over the run, warm-up included (with several threads the sum of each
 *                      thread's peak); -1 if not tracked
 * @param extra         workload-specific figures (e.g. burst's resident levels), in order
 */
public record Outcome(long timedOps, long idleNanos, long checks, boolean rngOk, long rngFinal, long rngExpected,
                      long liveEndBytes, long livePeakBytes, Map<String, Object> extra) {
    public Outcome {
        extra = new LinkedHashMap<>(extra);
    }

    /** An outcome without live-bytes figures. */
    public Outcome(long timedOps, long idleNanos, long checks, boolean rngOk, long rngFinal, long rngExpected,
                   Map<String, Object> extra) {
        this(timedOps, idleNanos, checks, rngOk, rngFinal, rngExpected, -1, -1, extra);
    }
}

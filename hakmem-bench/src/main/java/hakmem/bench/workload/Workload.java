package hakmem.bench.workload;

import hakmem.bench.subject.Subject;

/**
 * A reference workload. Each one checks itself (contents of every block at free, the generator's final state)
 * and throws {@link CheckFailure} when a check fails, so a broken allocator fails loudly instead of looking
 * fast. The measured loops allocate nothing and call only the subject.
 */
public abstract class Workload {

    public abstract String id();

    public abstract String description();

    /** Default counts: full ({@code quick == false}) or small enough for a whole quick compare in seconds. */
    public abstract Params defaults(boolean quick);

    /** The most blocks live at once (sizes the handle tables of Netty and Arena). */
    public abstract int maxLive(Params p);

    /** Whether blocks are freed by threads other than the allocating one. */
    public abstract boolean crossThreadFrees(Params p);

    /** Runs once; marks {@link Meter#TIMED_START} and {@link Meter#TIMED_END}. Frees every block it allocated. */
    public abstract Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException;
}

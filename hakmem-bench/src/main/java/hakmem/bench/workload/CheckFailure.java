package hakmem.bench.workload;

/** A workload's own check failed: wrong contents, wrong RNG state, a lost block. The run counts as failed. */
public final class CheckFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckFailure(String message) {
        super(message);
    }
}

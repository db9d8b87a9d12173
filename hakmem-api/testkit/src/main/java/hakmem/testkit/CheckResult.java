package hakmem.testkit;

import java.util.Objects;

/**
 * The outcome of one contract check.
 *
 * @param check  the check's name, one of {@link PolicyContract#CHECKS}
 * @param passed true if the policy passed it
 * @param reason what was checked and, for a failure, what went wrong
 */
public record CheckResult(String check, boolean passed, String reason) {

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(reason, "reason");
    }

    static CheckResult pass(String check, String reason) {
        return new CheckResult(check, true, reason);
    }

    static CheckResult fail(String check, String reason) {
        return new CheckResult(check, false, reason);
    }

    /** {@code PASS  callbacks  ...} or {@code FAIL  callbacks  ...}: one line for a console. */
    @Override
    public String toString() {
        return (passed ? "PASS" : "FAIL") + "  " + check + "  " + reason;
    }
}

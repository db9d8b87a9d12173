package hakmem.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.bench.report.Verdict.Input;
import hakmem.bench.report.Verdict.Kind;
import hakmem.bench.report.Verdict.ReleaseInput;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verdict rules, one row per case: the steady-state rules (the seed's, issue 5) and the release rules (burst). */
class VerdictTest {
    static final double MB = 1e6;

    static Input in(int failed, double peak, double speedPeak, double ratio, double drift, double sys) {
        return in(failed, peak, speedPeak, ratio, drift, drift * peak, sys);
    }

    static Input in(int failed, double peak, double speedPeak, double ratio, double drift, double driftBytes, double sys) {
        return new Input(5, failed, failed > 0 ? "CheckFailure: boom" : null, peak, speedPeak, ratio, drift, driftBytes,
                sys, 10 * MB);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // kind, reason fragment, input
                Arguments.of(Kind.GO, "under target", in(0, 2 * MB, 30 * MB, 0.97, 0.0, 1e-8)),
                Arguments.of(Kind.GO, "under target", in(0, 9.9 * MB, 30 * MB, 0.90, 0.01, 1e-4)),
                Arguments.of(Kind.GO, "under target", in(0, 2 * MB, 30 * MB, 1.20, -0.01, 0)),
                Arguments.of(Kind.NO_GO, "1 of 5 runs failed", in(1, 2 * MB, 30 * MB, 1.0, 0, 0)),
                Arguments.of(Kind.NO_GO, "syscall storm", in(0, 2 * MB, 30 * MB, 1.0, 0, 1.01e-4)),
                Arguments.of(Kind.NO_GO, "does not fall", in(0, 30 * MB, 30 * MB, 1.0, 0, 0)),
                Arguments.of(Kind.NO_GO, "does not fall", in(0, 31 * MB, 30 * MB, 1.0, 0, 0)),
                Arguments.of(Kind.NO_GO, "does not fall", in(0, 8 * MB, 8 * MB, 1.0, 0, 0)),
                Arguments.of(Kind.NEUTRAL, "throughput drops more than 10%", in(0, 2 * MB, 30 * MB, 0.89, 0, 0)),
                Arguments.of(Kind.NEUTRAL, "throughput drops more than 10%", in(0, 20 * MB, 30 * MB, 0.50, 0, 0)),
                Arguments.of(Kind.NEUTRAL, "not under the target", in(0, 10 * MB, 30 * MB, 1.0, 0, 0)),
                Arguments.of(Kind.NEUTRAL, "drifts more than 1%", in(0, 9 * MB, 30 * MB, 1.0, 0.011, 0)),
                Arguments.of(Kind.NEUTRAL, "drifts more than 1%", in(0, 9 * MB, 30 * MB, 1.0, -0.05, 0)),
                // a change of at most one slab (64 KiB) is no drift, whatever the fraction of a small footprint
                Arguments.of(Kind.GO, "under target", in(0, 0.4 * MB, 30 * MB, 1.0, 0.15, 64 * 1024, 0)),
                Arguments.of(Kind.NEUTRAL, "drifts more than 1% and 64 KiB", in(0, 0.4 * MB, 30 * MB, 1.0, 0.17, 64 * 1024 + 1, 0)),
                // failures win over everything, storms over memory
                Arguments.of(Kind.NO_GO, "runs failed", in(2, 50 * MB, 30 * MB, 0.1, 0.5, 1)),
                Arguments.of(Kind.NO_GO, "syscall storm", in(0, 50 * MB, 30 * MB, 0.1, 0.5, 1)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void rules(Kind expected, String reason, Input input) {
        Verdict v = Verdict.decide("lean", input);
        assertThat(v.kind()).isEqualTo(expected);
        assertThat(v.reason()).contains(reason);
        assertThat(v.toJson().get("verdict").asText()).isEqualTo(expected.label());
    }

    static final double MIB = 1 << 20;

    /** A release input; speed holds 180 MiB-s. */
    static ReleaseInput rel(int failed, double released, double ttrMs, double mibSeconds, double recommit,
                            double perMib, double ratio) {
        return new ReleaseInput(5, failed, failed > 0 ? "CheckFailure: boom" : null, released, ttrMs, mibSeconds, 180,
                recommit, perMib, ratio);
    }

    static Stream<Arguments> releaseCases() {
        double never = Double.POSITIVE_INFINITY;
        return Stream.of(
                Arguments.of(Kind.GO, "releases within 1 s", rel(0, 126 * MIB, 150, 20, 0, 16, 0.95)),
                Arguments.of(Kind.GO, "releases within 1 s", rel(0, 100 * MIB, 1000, 179.9, 10 * MIB, 256, 0.90)),
                // a policy that never releases anything gets no GO, however fast it is
                Arguments.of(Kind.NO_GO, "releases nothing", rel(0, 0, never, 200, 0, Double.NaN, 1.5)),
                Arguments.of(Kind.NO_GO, "releases nothing", rel(0, Double.NaN, never, 200, 0, Double.NaN, 1.5)),
                Arguments.of(Kind.NO_GO, "never falls back within 2x", rel(0, 4 * MIB, never, 100, 0, 16, 1.0)),
                Arguments.of(Kind.NO_GO, "release storm", rel(0, 126 * MIB, 100, 20, 0, 257, 1.0)),
                Arguments.of(Kind.NO_GO, "1 of 5 runs failed", rel(1, 126 * MIB, 100, 20, 0, 16, 1.0)),
                Arguments.of(Kind.NEUTRAL, "releases later than 1 s", rel(0, 126 * MIB, 1001, 20, 0, 16, 1.0)),
                Arguments.of(Kind.NEUTRAL, "holds no fewer MiB-seconds than speed", rel(0, 126 * MIB, 100, 180, 0, 16, 1.0)),
                Arguments.of(Kind.NEUTRAL, "re-commits more than 10%", rel(0, 100 * MIB, 100, 20, 10.1 * MIB, 16, 1.0)),
                Arguments.of(Kind.NEUTRAL, "throughput drops more than 10%", rel(0, 126 * MIB, 100, 20, 0, 16, 0.27)),
                Arguments.of(Kind.NEUTRAL, "releases later than 1 s, throughput drops", rel(0, 126 * MIB, 1500, 20, 0, 16, 0.5)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("releaseCases")
    void releaseRules(Kind expected, String reason, ReleaseInput input) {
        Verdict v = Verdict.decideRelease("lean", input);
        assertThat(v.kind()).isEqualTo(expected);
        assertThat(v.reason()).contains(reason);
    }

    @org.junit.jupiter.api.Test
    void theRulesTextStatesTheThresholds() {
        assertThat(Verdict.RELEASE_RULES).contains("256 syscalls per MiB").contains("<= 1000 ms").contains("10%")
                .contains("0.90x speed").contains("nothing is released");
        assertThat(Verdict.STEADY_RULES).contains("1e-04/op").contains("0.90x speed");
    }
}

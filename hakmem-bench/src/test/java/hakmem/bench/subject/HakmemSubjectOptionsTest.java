package hakmem.bench.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench opens hakmem without its MBean unless asked: peak RSS compares allocators, not the MBean server. */
class HakmemSubjectOptionsTest {

    @Test
    void jmxIsOffUnlessTheSubjectThePropertyOrTheEnvironmentSetsIt() {
        assertThat(HakmemSubject.options(SubjectSpec.parse("lean@lean.keep.slabs=2"), null, null))
                .containsExactly(Map.entry("lean.keep.slabs", "2"), Map.entry("jmx", "0"));
        assertThat(HakmemSubject.options(SubjectSpec.parse("lean@jmx=1"), null, null)).containsExactly(Map.entry("jmx", "1"));
        assertThat(HakmemSubject.options(SubjectSpec.parse("lean"), "1", null)).isEmpty();
        assertThat(HakmemSubject.options(SubjectSpec.parse("lean"), null, "1")).isEmpty();
    }
}

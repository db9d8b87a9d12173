package hakmem.bench.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The sweep syntax: {@code id@name=value[@name=value...]}. */
class SubjectSpecTest {

    @Test
    void aPlainIdHasNoOptions() {
        SubjectSpec s = SubjectSpec.parse("lean");
        assertThat(s.id()).isEqualTo("lean");
        assertThat(s.label()).isEqualTo("lean");
        assertThat(s.options()).isEmpty();
        assertThat(s.isPeer()).isFalse();
    }

    @Test
    void optionsFollowTheIdInOrder() {
        SubjectSpec s = SubjectSpec.parse(" lean@ss.mem.lean.delay.ms=100@lean.keep.slabs=2 ");
        assertThat(s.id()).isEqualTo("lean");
        assertThat(s.label()).isEqualTo("lean@ss.mem.lean.delay.ms=100@lean.keep.slabs=2");
        assertThat(s.options()).containsExactly(java.util.Map.entry("ss.mem.lean.delay.ms", "100"),
                java.util.Map.entry("lean.keep.slabs", "2"));
        assertThat(s.fileLabel()).isEqualTo("lean_ss.mem.lean.delay.ms_100_lean.keep.slabs_2");
    }

    @Test
    void aValueMayHoldAnEqualsSign() {
        assertThat(SubjectSpec.parse("hyst@hyst.note=a=b").options()).containsEntry("hyst.note", "a=b");
    }

    @Test
    void badSpecsNameWhatIsWrong() {
        assertThatThrownBy(() -> SubjectSpec.parse("@a=1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no policy id");
        assertThatThrownBy(() -> SubjectSpec.parse("lean@delay")).hasMessageContaining("option 'delay' has no '='");
        assertThatThrownBy(() -> SubjectSpec.parse("lean@=3")).hasMessageContaining("has no name");
        assertThatThrownBy(() -> SubjectSpec.parse("lean@a=")).hasMessageContaining("option 'a' has no value");
        assertThatThrownBy(() -> SubjectSpec.parse("lean@a=1@")).hasMessageContaining("has no '='");
        assertThatThrownBy(() -> SubjectSpec.parse("lean@a=1@a=2")).hasMessageContaining("option 'a' is given twice");
        assertThatThrownBy(() -> SubjectSpec.parse("unsafe@a=1")).hasMessageContaining("unsafe is a peer");
        assertThatThrownBy(() -> SubjectSpec.parse(" ")).hasMessageContaining("empty subject");
    }
}

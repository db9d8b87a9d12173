package hakmem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionSpec.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeOptionValuesTest {

    static final List<OptionSpec> SPECS = List.of(
            new OptionSpec("x.keep", Type.NUMBER, "8", "slabs", "", List.of(), "kept"),
            new OptionSpec("x.target", Type.SIZE, "10", "M", "", List.of(), "target"),
            new OptionSpec("x.mode", Type.CHOICE, "DONTNEED", "mode", "", List.of("FREE", "DONTNEED"), "mode"),
            new OptionSpec("x.on", Type.BOOLEAN, "0", "bool", "", List.of(), "on"),
            new OptionSpec("x.name", Type.TEXT, "", "text", "", List.of(), "name"));

    @Test
    void defaultsAndExplicitValuesAreParsedAsTheCoreDoes() {
        FakeOptionValues d = FakeOptionValues.defaults(SPECS);
        assertThat(d.number("x.keep")).isEqualTo(8);
        assertThat(d.bytes("x.target")).isEqualTo(10L << 20);
        assertThat(d.choice("x.mode")).isEqualTo("DONTNEED");
        assertThat(d.flag("x.on")).isFalse();
        assertThat(d.text("x.name")).isEmpty();
        assertThat(d.isSet("x.keep")).isFalse();

        FakeOptionValues v = new FakeOptionValues(SPECS,
                Map.of("x.keep", "3", "x.target", "512K", "x.mode", "free", "x.on", "yes"));
        assertThat(v.number("x.keep")).isEqualTo(3);
        assertThat(v.bytes("x.target")).isEqualTo(512L << 10);
        assertThat(v.choice("x.mode")).isEqualTo("FREE");
        assertThat(v.flag("x.on")).isTrue();
        assertThat(v.isSet("x.keep")).isTrue();
        assertThat(v.read()).containsExactlyInAnyOrder("x.keep", "x.target", "x.mode", "x.on");
    }

    @Test
    void anInvalidValueFailsNamingTheOptionTheValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> new FakeOptionValues(SPECS, Map.of("x.keep", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'-1'").hasMessageContaining("x.keep").hasMessageContaining("a whole number >= 0");
        assertThatThrownBy(() -> new FakeOptionValues(SPECS, Map.of("x.mode", "OFF")))
                .hasMessageContaining("x.mode").hasMessageContaining("FREE, DONTNEED");
        assertThatThrownBy(() -> new FakeOptionValues(SPECS, Map.of("x.target", "9223372036854775807G")))
                .hasMessageContaining("x.target");
        assertThatThrownBy(() -> new FakeOptionValues(SPECS, Map.of("x.other", "1")))
                .hasMessageContaining("undeclared option 'x.other'");
    }

    @Test
    void readingAnUndeclaredNameOrTheWrongTypeFails() {
        FakeOptionValues d = FakeOptionValues.defaults(SPECS);
        assertThatThrownBy(() -> d.number("x.nope")).hasMessageContaining("unknown option 'x.nope'");
        assertThatThrownBy(() -> d.bytes("x.keep")).hasMessageContaining("is a NUMBER, not a SIZE");
    }
}

package hakmem.core.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OptionSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionTableTest {

    record Source(Map<String, String> props, Map<String, String> env) implements OptionSource {
        @Override
        public Optional<String> property(String key) {
            return Optional.ofNullable(props.get(key));
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(env.get(name));
        }
    }

    @Test
    void apiBeatsPropertyBeatsEnvBeatsDefault() {
        OptionTable t = new OptionTable();
        var src = new Source(Map.of("hakmem.ss.mem.lean.delay.ms", "20"),
                Map.of("HAKMEM_SS_MEM_LEAN_DELAY_MS", "30", "HAKMEM_SS_MEM_LEAN_DECOMMIT", "free"));
        var r = t.resolve(src, Map.of());
        assertThat(r.number("ss.mem.lean.delay.ms")).isEqualTo(20);
        assertThat(r.source("ss.mem.lean.delay.ms")).isEqualTo("property -Dhakmem.ss.mem.lean.delay.ms");
        assertThat(r.choice("ss.mem.lean.decommit")).isEqualTo("FREE");
        assertThat(r.source("ss.mem.lean.decommit")).isEqualTo("env HAKMEM_SS_MEM_LEAN_DECOMMIT");
        assertThat(r.bytes("ss.mem.lean.target.mb")).isEqualTo(10L << 20);
        assertThat(r.isSet("ss.mem.lean.target.mb")).isFalse();
        var api = t.resolve(src, Map.of("ss.mem.lean.delay.ms", "5"));
        assertThat(api.number("ss.mem.lean.delay.ms")).isEqualTo(5);
        assertThat(api.source("ss.mem.lean.delay.ms")).isEqualTo("api");
    }

    @Test
    void sizesAcceptSuffixes() {
        assertThat(OptionTable.parseSize("10", "M")).isEqualTo(10L << 20);
        assertThat(OptionTable.parseSize("512K", "M")).isEqualTo(512L << 10);
        assertThat(OptionTable.parseSize("2g", "M")).isEqualTo(2L << 30);
        assertThat(OptionTable.parseSize("64MB", "M")).isEqualTo(64L << 20);
        assertThat(OptionTable.parseSize("100", "B")).isEqualTo(100);
    }

    @Test
    void invalidValuesNameOptionValueSourceAndAcceptedValues() {
        OptionTable t = new OptionTable();
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of("HAKMEM_SS_MEM_LEAN_DECOMMIT", "sometimes")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ss.mem.lean.decommit").hasMessageContaining("sometimes")
                .hasMessageContaining("HAKMEM_SS_MEM_LEAN_DECOMMIT").hasMessageContaining("FREE, DONTNEED, OFF");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of("hakmem.ss.mem.lean.target.mb", "ten"), Map.of()), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ten").hasMessageContaining("512K");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("ss.mem.lean.delay.ms", "-3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("ss.os.stats", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("no.such.option", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.option");
    }

    @Test
    void pluginOptionsJoinTheTableAndClashesFail() {
        OptionTable t = new OptionTable();
        t.add(new OptionSpec("my.knob", OptionSpec.Type.NUMBER, "3", "count", "", List.of(), "a knob"), "mine");
        var r = t.resolve(new Source(Map.of(), Map.of("HAKMEM_MY_KNOB", "7")), Map.of());
        assertThat(r.number("my.knob")).isEqualTo(7);
        assertThat(r.rows()).anySatisfy(row -> {
            assertThat(row.name()).isEqualTo("my.knob");
            assertThat(row.owner()).isEqualTo("mine");
            assertThat(row.env()).isEqualTo("HAKMEM_MY_KNOB");
        });
        assertThatThrownBy(() -> t.add(new OptionSpec("policy", OptionSpec.Type.TEXT, "", "id", "", List.of(), "x"), "evil"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("core");
    }

    @Test
    void legacyEnvNameIsHonouredAfterTheNewOne() {
        OptionTable t = new OptionTable();
        t.add(new OptionSpec("new.name", OptionSpec.Type.BOOLEAN, "0", "bool", "OLD_NAME", List.of(), "x"), "p");
        assertThat(t.resolve(new Source(Map.of(), Map.of("OLD_NAME", "1")), Map.of()).flag("new.name")).isTrue();
        assertThat(t.resolve(new Source(Map.of(), Map.of("OLD_NAME", "1", "HAKMEM_NEW_NAME", "0")), Map.of())
                .flag("new.name")).isFalse();
    }
}

package hakmem.policy.lean;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout of module {@code hakmem.policy.lean}: tests run inside the named module, and it exports no package. */
class ModuleLayoutTest {

    @Test
    void testsRunInsideTheNamedModule() {
        Module module = getClass().getModule();
        assertThat(module.isNamed()).as("tests must run on the module path, inside the module").isTrue();
        assertThat(module.getName()).isEqualTo("hakmem.policy.lean");
        assertThat(module.getDescriptor().isAutomatic()).as("declared by a module-info.java").isFalse();
    }

    @Test
    void exportsNothing() {
        List<String> exported = getClass().getModule().getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .sorted()
                .toList();
        assertThat(exported).as("packages hakmem.policy.lean exports to everyone").isEmpty();
    }
}
